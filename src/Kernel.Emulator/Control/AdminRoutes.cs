using System.Text.Json;
using Kernel.Emulator.Deployments;
using Kernel.Emulator.Store;

namespace Kernel.Emulator.Control;

/// <summary>
/// The control surface for tests, under /_emulator (the real API has no path starting with an underscore).
/// It needs no API key, and its requests are neither journaled nor subject to faults.
/// </summary>
public static class AdminRoutes
{
    public const string Prefix = "/_emulator";

    public static bool IsAdmin(HttpRequest request) => request.Path.StartsWithSegments(Prefix);

    public static void Map(WebApplication app)
    {
        var admin = app.MapGroup(Prefix);
        admin.MapGet("/journal", (Journal journal) => Results.Json(journal.Snapshot(), KernelJson.Options));
        admin.MapDelete("/journal", (Journal journal) =>
        {
            journal.Clear();
            return Results.NoContent();
        });

        admin.MapGet("/faults", (FaultInjection faults) => Results.Json(faults.Active(), KernelJson.Options));
        admin.MapPost("/faults", async (HttpRequest request, FaultInjection faults) =>
        {
            var rule = await ReadAsync<FaultRule>(request);
            return rule is null ? KernelErrors.BadRequest("body must be a fault: {\"path\": \"/deployments\", \"kind\": \"status\", \"status\": 503, \"times\": 1}") : Results.Json(faults.Add(rule), KernelJson.Options, statusCode: StatusCodes.Status201Created);
        });
        admin.MapDelete("/faults", (FaultInjection faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });

        admin.MapGet("/settings", (EmulatorOptions options) => Results.Json(Settings.From(options), KernelJson.Options));
        admin.MapPut("/settings", async (HttpRequest request, EmulatorOptions options) =>
        {
            // A partial update: what the body leaves out keeps its value.
            var settings = await ReadAsync<SettingsUpdate>(request);
            if (settings is null || settings.StepDelayMs < 0 || settings.HeartbeatMs < 1)
            {
                return KernelErrors.BadRequest("body must be {\"step_delay_ms\": >= 0, \"heartbeat_ms\": >= 1}, either one or both");
            }

            if (settings.StepDelayMs is { } stepDelay)
            {
                options.StepDelay = TimeSpan.FromMilliseconds(stepDelay);
            }

            if (settings.HeartbeatMs is { } heartbeat)
            {
                options.HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeat);
            }

            return Results.Json(Settings.From(options), KernelJson.Options);
        });

        admin.MapPost("/scripts/deployment-failures", async (HttpRequest request, World world) =>
        {
            var failure = await ReadAsync<ScriptedDeploymentFailure>(request);
            if (failure is null || string.IsNullOrEmpty(failure.Reason) || failure.Times < 1)
            {
                return KernelErrors.BadRequest("body must be {\"app_name\": optional, \"reason\": \"...\", \"times\": >= 1}");
            }

            world.Script(failure);
            return Results.Json(failure, KernelJson.Options, statusCode: StatusCodes.Status201Created);
        });
        admin.MapPost("/scripts/deployment-logs", async (HttpRequest request, World world) =>
        {
            var log = await ReadAsync<ScriptedDeploymentLog>(request);
            if (log is null || log.Lines is null || log.Lines.Count == 0 || log.Times < 1)
            {
                return KernelErrors.BadRequest("body must be {\"app_name\": optional, \"lines\": [\"...\"], \"times\": >= 1}");
            }

            world.Script(log);
            return Results.Json(log, KernelJson.Options, statusCode: StatusCodes.Status201Created);
        });
        admin.MapGet("/deployments/{id}/archive", (string id, UploadedArchives archives) => archives.Serve(id));
        admin.MapGet("/browsers/{id}/extensions", (string id, World world) =>
            world.FindBrowserAnywhere(id) is { } browser
                ? Results.Json(world.Locked(() => browser.ExtensionIds.Select(e => new LoadedExtension(e, world.FindExtension(browser.Project, e)?.Name)).ToList()), KernelJson.Options)
                : KernelErrors.NotFound("browser"));
        admin.MapPost("/scripts/invocation-results", async (HttpRequest request, World world) =>
        {
            var result = await ReadAsync<ScriptedInvocation>(request);
            if (result is null || result.Status is not ("succeeded" or "failed") || result.Times < 1 || (result.Output is not null && !JsonBody.IsJson(result.Output)))
            {
                return KernelErrors.BadRequest("body must be {\"app_name\": optional, \"action_name\": optional, \"status\": \"succeeded\"|\"failed\", \"output\": JSON text, \"times\": >= 1}");
            }

            world.Script(result);
            return Results.Json(result, KernelJson.Options, statusCode: StatusCodes.Status201Created);
        });
        admin.MapPost("/scripts/profile-downloads", async (HttpRequest request, World world) =>
        {
            var download = await ReadAsync<ScriptedProfileDownload>(request);
            if (download is null || download.NotReady < 1)
            {
                return KernelErrors.BadRequest("body must be {\"profile\": optional id or name, \"not_ready\": >= 1}");
            }

            world.Script(download);
            return Results.Json(download, KernelJson.Options, statusCode: StatusCodes.Status201Created);
        });
        admin.MapPost("/scripts/proxy-checks", async (HttpRequest request, World world) =>
        {
            var check = await ReadAsync<ScriptedProxyCheck>(request);
            if (check is null || check.Status is not ("available" or "unavailable") || check.Times < 1)
            {
                return KernelErrors.BadRequest("body must be {\"proxy\": optional id or name, \"status\": \"available\"|\"unavailable\", \"times\": >= 1}");
            }

            world.Script(check);
            return Results.Json(check, KernelJson.Options, statusCode: StatusCodes.Status201Created);
        });
        admin.MapDelete("/scripts", (World world) =>
        {
            world.ClearScripts();
            return Results.NoContent();
        });
    }

    /// <summary>An extension a browser loaded (the API's browser object does not say; the emulator does, for tests).</summary>
    private sealed record LoadedExtension(string Id, string? Name);

    private sealed record SettingsUpdate(int? StepDelayMs, int? HeartbeatMs);

    private sealed record Settings(int StepDelayMs, int HeartbeatMs)
    {
        public static Settings From(EmulatorOptions options) =>
            new((int)options.StepDelay.TotalMilliseconds, (int)options.HeartbeatInterval.TotalMilliseconds);
    }

    private static async Task<T?> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, FaultInjection.JsonOptions, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
