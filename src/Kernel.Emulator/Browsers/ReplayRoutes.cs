using Kernel.Emulator.Store;

namespace Kernel.Emulator.Browsers;

/// <summary>
/// A browser's replays (the pinned SDK's browsers/replays.d.ts): start (one recording at a time), list, stop,
/// download. A recording's download answers 202 with Retry-After until it has finished; then a small valid MP4.
/// </summary>
public static class ReplayRoutes
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/browsers/{id}/replays", StartAsync);
        app.MapGet("/browsers/{id}/replays", (string id, HttpContext context, World world, TimeProvider clock) =>
        {
            if (world.FindBrowser(ProjectScope.Of(context), id, includeDeleted: true) is not { } browser)
            {
                return KernelErrors.NotFound("browser");
            }

            var now = clock.GetUtcNow().UtcDateTime;
            lock (world.Gate)
            {
                return Results.Json(browser.Replays.Select(r => r.View(browser, now)).ToList(), KernelJson.Options);
            }
        });
        app.MapPost("/browsers/{id}/replays/{replayId}/stop", (string id, string replayId, HttpContext context, World world, TimeProvider clock) =>
        {
            if (world.FindBrowser(ProjectScope.Of(context), id, includeDeleted: true) is not { } browser)
            {
                return KernelErrors.NotFound("browser");
            }

            lock (world.Gate)
            {
                if (browser.Replays.FirstOrDefault(r => r.Id == replayId) is not { } replay)
                {
                    return KernelErrors.NotFound("replay");
                }

                replay.Stop(clock.GetUtcNow().UtcDateTime);
                return Results.Ok();
            }
        });
        app.MapGet("/browsers/{id}/replays/{replayId}", (string id, string replayId, HttpContext context, World world, TimeProvider clock) =>
        {
            if (world.FindBrowser(ProjectScope.Of(context), id, includeDeleted: true) is not { } browser)
            {
                return KernelErrors.NotFound("browser");
            }

            var now = clock.GetUtcNow().UtcDateTime;
            lock (world.Gate)
            {
                if (browser.Replays.FirstOrDefault(r => r.Id == replayId) is not { } replay)
                {
                    return KernelErrors.NotFound("replay");
                }

                if (replay.FinishedAt(now) is not { } finished)
                {
                    context.Response.Headers.RetryAfter = "1";
                    return Results.StatusCode(StatusCodes.Status202Accepted);
                }

                return Results.Bytes(ReplayVideo.For(finished - replay.StartedAt), "video/mp4");
            }
        });
    }

    private static async Task<IResult> StartAsync(string id, HttpContext context, World world, TimeProvider clock)
    {
        if (world.FindBrowser(ProjectScope.Of(context), id) is not { } browser)
        {
            return KernelErrors.NotFound("browser");
        }

        using var body = await JsonBody.ReadObjectAsync(context.Request, emptyIsObject: true);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        var fields = new BodyFields(body.RootElement);
        var framerate = fields.Int("framerate", 1, 60);
        var maxDuration = fields.Int("max_duration_in_seconds", 1, int.MaxValue);
        fields.Bool("record_audio");
        if (framerate > 20 && !browser.Gpu)
        {
            fields.Fail("a framerate above 20 needs a browser with gpu");
        }

        if (fields.Error is { } error)
        {
            return KernelErrors.BadRequest(error);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        lock (world.Gate)
        {
            if (browser.Replays.Any(r => r.FinishedAt(now) is null))
            {
                return KernelErrors.Answer(StatusCodes.Status409Conflict, "conflict", "a replay is already recording in this session; stop it first");
            }

            var replay = new ReplayRecord(Guid.NewGuid().ToString(), now, maxDuration);
            browser.Replays.Add(replay);
            return Results.Json(replay.View(browser, now), KernelJson.Options, statusCode: StatusCodes.Status201Created);
        }
    }
}
