using System.Text.Json;
using Kernel.Emulator.Store;
using Kernel.Emulator.Streaming;

namespace Kernel.Emulator.Invocations;

/// <summary>The invocations endpoints of kernel-api.md §8.</summary>
public static class InvocationRoutes
{
    private static readonly string[] Statuses = ["queued", "running", "succeeded", "failed"];

    public static void Map(WebApplication app)
    {
        app.MapPost("/invocations", CreateAsync);
        app.MapGet("/invocations", List);
        app.MapGet("/invocations/{id}", (string id, HttpContext context, World world) =>
            world.FindInvocation(ProjectScope.Of(context), id) is { } invocation
                ? Results.Json(invocation.View(), KernelJson.Options)
                : KernelErrors.NotFound("invocation"));
        app.MapPatch("/invocations/{id}", UpdateAsync);
        app.MapGet("/invocations/{id}/events", FollowAsync);
        app.MapGet("/invocations/{id}/browsers", (string id, HttpContext context, World world) =>
        {
            var invocation = world.FindInvocation(ProjectScope.Of(context), id);
            if (invocation is null)
            {
                return KernelErrors.NotFound("invocation");
            }

            lock (world.Gate)
            {
                return Results.Json(new { browsers = invocation.Browsers.ToList() }, KernelJson.Options);
            }
        });
        app.MapDelete("/invocations/{id}/browsers", (string id, HttpContext context, World world) =>
        {
            var invocation = world.FindInvocation(ProjectScope.Of(context), id);
            if (invocation is null)
            {
                return KernelErrors.NotFound("invocation");
            }

            lock (world.Gate)
            {
                invocation.Browsers.Clear();
            }

            return Results.NoContent();
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext context, World world, InvocationLifecycle lifecycle, TimeProvider clock)
    {
        var body = await ReadObjectAsync(context.Request);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        using var doc = body;
        var root = doc.RootElement;
        var appName = Text(root, "app_name");
        var actionName = Text(root, "action_name");
        if (string.IsNullOrEmpty(appName))
        {
            return KernelErrors.BadRequest("Missing required field: app_name");
        }

        if (string.IsNullOrEmpty(actionName))
        {
            return KernelErrors.BadRequest("Missing required field: action_name");
        }

        var version = Text(root, "version") is { Length: > 0 } v ? v : "latest";
        var payload = Text(root, "payload");
        if (!string.IsNullOrEmpty(payload) && !IsJson(payload))
        {
            return KernelErrors.BadRequest("payload must be a string containing JSON");
        }

        var isAsync = root.TryGetProperty("async", out var a) && a.ValueKind == JsonValueKind.True;
        if (root.TryGetProperty("async_timeout_seconds", out var timeout) && (!timeout.TryGetInt32(out var seconds) || seconds < 10 || seconds > 3600))
        {
            return KernelErrors.BadRequest("async_timeout_seconds must be an integer from 10 to 3600");
        }

        var project = ProjectScope.Of(context);
        var deployment = world.ServingDeployments(project).FirstOrDefault(d => d.AppName == appName && d.Version == version);
        if (deployment is null)
        {
            return KernelErrors.NotFound($"app '{appName}' version '{version}'");
        }

        if (!deployment.Actions.Contains(actionName, StringComparer.Ordinal))
        {
            return KernelErrors.NotFound($"action '{actionName}' in app '{appName}' version '{version}'");
        }

        var invocation = new InvocationRecord(World.NewId(), project, deployment, actionName, payload, clock.GetUtcNow().UtcDateTime)
        {
            Scripted = world.TakeInvocationResult(appName, actionName),
        };
        world.Add(invocation);
        var wsBase = $"ws://{context.Request.Host}/_emulator";
        if (isAsync)
        {
            lifecycle.Start(invocation, wsBase);
            return Results.Json(new { id = invocation.Id, action_name = actionName, status = "queued" }, KernelJson.Options, statusCode: StatusCodes.Status202Accepted);
        }

        await lifecycle.RunAsync(invocation, wsBase);
        var view = invocation.View();
        return Results.Json(new { id = view.Id, action_name = view.ActionName, status = view.Status, output = view.Output, status_reason = view.StatusReason }, KernelJson.Options);
    }

    private static IResult List(HttpContext context, World world, TimeProvider clock, string? app_name, string? version, string? action_name, string? deployment_id, string? status, string? since, string? query)
    {
        if (!string.IsNullOrEmpty(status) && !Statuses.Contains(status))
        {
            return KernelErrors.BadRequest($"invalid status '{status}': must be one of {string.Join(", ", Statuses)}");
        }

        if (!EventTime.TryParseSince(since, clock.GetUtcNow().UtcDateTime, out var from))
        {
            return KernelErrors.BadRequest($"invalid since '{since}': use an RFC 3339 time or a duration such as 5m");
        }

        if (Paging.TryRead(context.Request, out var limit, out var offset) is { } bad)
        {
            return bad;
        }

        List<InvocationView> matches;
        lock (world.Gate)
        {
            matches = world.Invocations(ProjectScope.Of(context))
                .Where(i => string.IsNullOrEmpty(app_name) || i.Deployment.AppName == app_name)
                .Where(i => string.IsNullOrEmpty(version) || i.Deployment.Version == version)
                .Where(i => string.IsNullOrEmpty(action_name) || i.ActionName == action_name)
                .Where(i => string.IsNullOrEmpty(deployment_id) || i.Deployment.Id == deployment_id)
                .Where(i => string.IsNullOrEmpty(status) || i.Status == status)
                .Where(i => from is null || i.StartedAt >= from)
                .Where(i => string.IsNullOrEmpty(query)
                    || i.Id.Contains(query, StringComparison.OrdinalIgnoreCase)
                    || i.Deployment.AppName!.Contains(query, StringComparison.OrdinalIgnoreCase)
                    || i.ActionName.Contains(query, StringComparison.OrdinalIgnoreCase))
                .Select(i => i.View())
                .ToList();
        }

        return Paging.Page(context.Response, matches, limit, offset);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, World world, InvocationLifecycle lifecycle)
    {
        var invocation = world.FindInvocation(ProjectScope.Of(context), id);
        if (invocation is null)
        {
            return KernelErrors.NotFound("invocation");
        }

        var body = await ReadObjectAsync(context.Request);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        using var doc = body;
        var status = Text(doc.RootElement, "status");
        if (status is not ("succeeded" or "failed"))
        {
            return KernelErrors.BadRequest("status is required and must be succeeded or failed");
        }

        var output = Text(doc.RootElement, "output");
        if (output is not null && !IsJson(output))
        {
            return KernelErrors.BadRequest("output must be a string containing JSON");
        }

        lifecycle.Update(invocation, status, output);
        return Results.Json(invocation.View(), KernelJson.Options);
    }

    private static Task FollowAsync(string id, string? since, HttpContext context, World world, EmulatorOptions options, TimeProvider clock) =>
        ServerSentEvents.FollowAsync(context, world.FindInvocation(ProjectScope.Of(context), id)?.Events, "invocation", since, options, clock);

    private static async Task<JsonDocument?> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                return doc;
            }

            doc.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
