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
        app.MapGet("/invocations/{id}/browsers", (string id, HttpContext context, World world, TimeProvider clock) =>
        {
            var invocation = world.FindInvocation(ProjectScope.Of(context), id);
            if (invocation is null)
            {
                return KernelErrors.NotFound("invocation");
            }

            lock (world.Gate)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return Results.Json(new { browsers = invocation.Browsers.Where(b => b.IsActive).Select(b => b.View(world, now)).ToList() }, KernelJson.Options);
            }
        });
        app.MapDelete("/invocations/{id}/browsers", (string id, HttpContext context, World world, InvocationLifecycle lifecycle) =>
        {
            var invocation = world.FindInvocation(ProjectScope.Of(context), id);
            if (invocation is null)
            {
                return KernelErrors.NotFound("invocation");
            }

            lifecycle.EndBrowsers(invocation);
            return Results.NoContent();
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext context, World world, InvocationLifecycle lifecycle, TimeProvider clock)
    {
        var body = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        using var doc = body;
        var root = doc.RootElement;
        var appName = JsonBody.Text(root, "app_name");
        var actionName = JsonBody.Text(root, "action_name");
        if (string.IsNullOrEmpty(appName))
        {
            return KernelErrors.BadRequest("Missing required field: app_name");
        }

        if (string.IsNullOrEmpty(actionName))
        {
            return KernelErrors.BadRequest("Missing required field: action_name");
        }

        var version = JsonBody.Text(root, "version") is { Length: > 0 } v ? v : "latest";
        var payload = JsonBody.Text(root, "payload");
        if (!string.IsNullOrEmpty(payload) && !JsonBody.IsJson(payload))
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
        var host = context.Request.Host.ToString();
        if (isAsync)
        {
            lifecycle.Start(invocation, host);
            return Results.Json(new { id = invocation.Id, action_name = actionName, status = "queued" }, KernelJson.Options, statusCode: StatusCodes.Status202Accepted);
        }

        await lifecycle.RunAsync(invocation, host);
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

        var body = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        using var doc = body;
        var status = JsonBody.Text(doc.RootElement, "status");
        if (status is not ("succeeded" or "failed"))
        {
            return KernelErrors.BadRequest("status is required and must be succeeded or failed");
        }

        var output = JsonBody.Text(doc.RootElement, "output");
        if (output is not null && !JsonBody.IsJson(output))
        {
            return KernelErrors.BadRequest("output must be a string containing JSON");
        }

        lifecycle.Update(invocation, status, output);
        return Results.Json(invocation.View(), KernelJson.Options);
    }

    private static Task FollowAsync(string id, string? since, HttpContext context, World world, EmulatorOptions options, TimeProvider clock) =>
        ServerSentEvents.FollowAsync(context, world.FindInvocation(ProjectScope.Of(context), id)?.Events, "invocation", since, options, clock);
}
