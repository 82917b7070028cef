using System.Text.Json;
using System.Text.Json.Nodes;
using Kernel.Emulator.Browsers;
using Kernel.Emulator.Store;

namespace Kernel.Emulator.Invocations;

/// <summary>
/// Runs an invocation the way the platform reports it (kernel-api.md §8): queued → running (with a browser
/// session) → succeeded or failed. The output is the action's echo of its payload unless a result is scripted.
/// </summary>
public sealed class InvocationLifecycle(World world, BrowserSessions sessions, EmulatorOptions options, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Runs to the end before returning (a sync invocation); <paramref name="host"/> is where its browser's URLs point.</summary>
    public async Task RunAsync(InvocationRecord invocation, string host)
    {
        Publish(invocation);
        await StepAsync(invocation, host);
    }

    /// <summary>Returns at once; the invocation goes on in the background (an async invocation).</summary>
    public void Start(InvocationRecord invocation, string host)
    {
        Publish(invocation);
        _ = Task.Run(async () =>
        {
            await Task.Delay(options.StepDelay);
            await StepAsync(invocation, host);
        });
    }

    /// <summary>Applies a PATCH: the given status and output; failed cancels the run and drops its browsers.</summary>
    public void Update(InvocationRecord invocation, string status, string? output)
    {
        lock (world.Gate)
        {
            invocation.Status = status;
            invocation.StatusReason = status == "failed" ? "Invocation marked failed" : "Invocation marked succeeded";
            if (output is not null)
            {
                invocation.Output = output;
            }

            invocation.FinishedAt ??= Now;
            EndBrowsers(invocation);
            Publish(invocation);
        }
    }

    /// <summary>Ends the browsers the invocation's action created (DELETE /invocations/{id}/browsers, or its end).</summary>
    public void EndBrowsers(InvocationRecord invocation)
    {
        lock (world.Gate)
        {
            foreach (var browser in invocation.Browsers)
            {
                sessions.End(browser);
            }
        }
    }

    private async Task StepAsync(InvocationRecord invocation, string host)
    {
        lock (world.Gate)
        {
            if (invocation.IsFinished)
            {
                return;
            }

            invocation.Status = "running";
            invocation.StatusReason = "Invocation running";
            invocation.Browsers.Add(sessions.StartForInvocation(invocation.Project, invocation.Id, host));
            Publish(invocation);
            Log(invocation, $"Invoking action '{invocation.ActionName}' of {invocation.Deployment.AppName} ({invocation.Deployment.Version})");
        }

        await Task.Delay(options.StepDelay);
        var scripted = invocation.Scripted;
        lock (world.Gate)
        {
            if (invocation.IsFinished)
            {
                return;
            }

            invocation.Status = scripted?.Status ?? "succeeded";
            invocation.Output = scripted is null ? Echo(invocation) : scripted.Output;
            invocation.StatusReason = invocation.Status == "failed" ? "Action failed" : "Invocation succeeded";
            invocation.FinishedAt = Now;
            EndBrowsers(invocation);
            Log(invocation, $"Action '{invocation.ActionName}' {invocation.Status}");
            Publish(invocation);
        }
    }

    private static string Echo(InvocationRecord invocation)
    {
        var output = new JsonObject
        {
            ["app"] = invocation.Deployment.AppName,
            ["action"] = invocation.ActionName,
            ["payload"] = string.IsNullOrEmpty(invocation.Payload) ? null : JsonNode.Parse(invocation.Payload),
        };
        return output.ToJsonString(new JsonSerializerOptions { Encoder = KernelJson.Options.Encoder });
    }

    private void Log(InvocationRecord invocation, string message)
    {
        var now = Now;
        invocation.Events.Publish(now, new { @event = "log", timestamp = now, message = message + "\n" });
    }

    private void Publish(InvocationRecord invocation)
    {
        var now = Now;
        invocation.Events.Publish(now, new { @event = "invocation_state", timestamp = now, invocation = invocation.View() }, invocation.IsFinished);
    }
}
