using System.Text.Json;
using System.Text.Json.Nodes;
using Kernel.Emulator.Store;

namespace Kernel.Emulator.Invocations;

/// <summary>
/// Runs an invocation the way the platform reports it (kernel-api.md §8): queued → running (with a browser
/// session) → succeeded or failed. The output is the action's echo of its payload unless a result is scripted.
/// </summary>
public sealed class InvocationLifecycle(World world, EmulatorOptions options, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Runs to the end before returning (a sync invocation).</summary>
    public async Task RunAsync(InvocationRecord invocation, string baseWsUrl)
    {
        Publish(invocation);
        await StepAsync(invocation, baseWsUrl);
    }

    /// <summary>Returns at once; the invocation goes on in the background (an async invocation).</summary>
    public void Start(InvocationRecord invocation, string baseWsUrl)
    {
        Publish(invocation);
        _ = Task.Run(async () =>
        {
            await Task.Delay(options.StepDelay);
            await StepAsync(invocation, baseWsUrl);
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
            invocation.Browsers.Clear();
            Publish(invocation);
        }
    }

    private async Task StepAsync(InvocationRecord invocation, string baseWsUrl)
    {
        lock (world.Gate)
        {
            if (invocation.IsFinished)
            {
                return;
            }

            invocation.Status = "running";
            invocation.StatusReason = "Invocation running";
            invocation.Browsers.Add(new BrowserView(
                World.NewId(), $"{baseWsUrl}/browsers/{invocation.Id}/cdp", $"{baseWsUrl}/browsers/{invocation.Id}/webdriver", Now, true, false, 60, DeploymentRecord.Region));
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
            invocation.Browsers.Clear();
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
