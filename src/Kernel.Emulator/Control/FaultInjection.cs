using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Kernel.Emulator.Control;

public enum FaultKind
{
    /// <summary>Answer with <see cref="FaultRule.Status"/> and Kernel's error body (plus Retry-After when given).</summary>
    Status,

    /// <summary>Close the connection without any answer.</summary>
    Drop,

    /// <summary>Send the headers and half the body, then close the connection.</summary>
    DropMidBody,

    /// <summary>Send the headers and half the body, then go silent for <see cref="FaultRule.DelayMs"/> before closing (a stalled download).</summary>
    StallMidBody,

    /// <summary>Answer 200 with a body that is not valid JSON; on an event stream, garble one event.</summary>
    MalformedJson,

    /// <summary>On an event stream: close the connection after <see cref="FaultRule.AfterEvents"/> events.</summary>
    CutStream,

    /// <summary>Only wait <see cref="FaultRule.DelayMs"/>, then answer normally.</summary>
    Delay,

    /// <summary>Handle the request in full, then hold the answer back for <see cref="FaultRule.DelayMs"/> (a slow or lost answer).</summary>
    DelayAnswer,

    /// <summary>On an event stream: after <see cref="FaultRule.AfterEvents"/> events, send an <c>error</c> event (code, message, details, inner_error) and close.</summary>
    ErrorEvent,
}

/// <summary>
/// One fault, as POSTed to /_emulator/faults or given with --fault: which requests it hits (method, a path
/// pattern where * matches one segment and ** any), what it does, and for how many requests.
/// </summary>
public sealed record FaultRule
{
    public string? Method { get; init; }

    public required string Path { get; init; }

    [JsonConverter(typeof(SnakeCaseFaultKindConverter))]
    public FaultKind Kind { get; init; } = FaultKind.Status;

    public int Status { get; init; } = 500;

    public string? Code { get; init; }

    public string? Message { get; init; }

    /// <summary>The error's details[], sent with a status fault or an error event.</summary>
    public List<ApiErrorDetail>? Details { get; init; }

    /// <summary>The error's inner_error, sent with a status fault or an error event.</summary>
    public ApiErrorDetail? InnerError { get; init; }

    /// <summary>Retry-After in seconds, sent with a status fault.</summary>
    public int? RetryAfter { get; init; }

    /// <summary>Wait before acting (any kind).</summary>
    public int DelayMs { get; init; }

    /// <summary>For stream faults: how many events go out intact first.</summary>
    public int AfterEvents { get; init; }

    /// <summary>How many matching requests it hits; 0 means every one until cleared.</summary>
    public int Times { get; init; } = 1;

    public string Id { get; init; } = Guid.NewGuid().ToString("N")[..12];

    internal bool Matches(HttpRequest request) =>
        (Method is null || Method.Equals(request.Method, StringComparison.OrdinalIgnoreCase)) &&
        Regex.IsMatch(request.Path.Value ?? string.Empty, "^" + Regex.Escape(Path).Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*") + "$");
}

/// <summary>Fault kinds in JSON as snake_case: "status", "drop_mid_body", "cut_stream".</summary>
public sealed class SnakeCaseFaultKindConverter() : JsonStringEnumConverter<FaultKind>(JsonNamingPolicy.SnakeCaseLower);

/// <summary>The faults in force and the middleware that applies them.</summary>
public sealed class FaultInjection
{
    private const string StreamFaultKey = "kernel.stream-fault";
    private readonly List<(FaultRule Rule, int Left)> _rules = [];

    public static readonly JsonSerializerOptions JsonOptions = new(KernelJson.Options) { PropertyNameCaseInsensitive = true };

    public FaultRule Add(FaultRule rule)
    {
        lock (_rules)
        {
            _rules.Add((rule, rule.Times));
        }

        return rule;
    }

    public List<FaultRule> Active()
    {
        lock (_rules)
        {
            return _rules.Select(r => r.Rule with { Times = r.Left }).ToList();
        }
    }

    public void Clear()
    {
        lock (_rules)
        {
            _rules.Clear();
        }
    }

    /// <summary>The error an <see cref="FaultKind.ErrorEvent"/> sends, as Kernel's error body.</summary>
    public static ApiError StreamError(FaultRule rule) =>
        new(rule.Code ?? "internal_error", rule.Message ?? "injected stream error", rule.Details is { Count: > 0 } ? rule.Details : null, rule.InnerError);

    /// <summary>The stream fault set for this request by the middleware, for the event-stream writer.</summary>
    public static FaultRule? StreamFault(HttpContext context) => context.Items[StreamFaultKey] as FaultRule;

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var rule = Take(context.Request);
        if (rule is null)
        {
            await next();
            return;
        }

        if (rule.DelayMs > 0 && rule.Kind is not (FaultKind.DelayAnswer or FaultKind.StallMidBody))
        {
            await Task.Delay(rule.DelayMs, context.RequestAborted);
        }

        switch (rule.Kind)
        {
            case FaultKind.DelayAnswer:
            case FaultKind.StallMidBody:
                await RewriteBodyAsync(context, next, rule.Kind, rule.DelayMs);
                return;
            case FaultKind.Delay:
                await next();
                return;
            case FaultKind.Status:
                if (rule.RetryAfter is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await KernelErrors.Answer(rule.Status, rule.Code ?? DefaultCode(rule.Status), rule.Message ?? "injected fault", rule.Details, rule.InnerError).ExecuteAsync(context);
                return;
            case FaultKind.Drop:
                context.Abort();
                return;
            case FaultKind.CutStream:
            case FaultKind.ErrorEvent:
                context.Items[StreamFaultKey] = rule;
                await next();
                return;
            case FaultKind.MalformedJson when context.Request.Path.Value?.EndsWith("/events", StringComparison.Ordinal) == true:
                context.Items[StreamFaultKey] = rule;
                await next();
                return;
            default:
                await RewriteBodyAsync(context, next, rule.Kind, 0);
                return;
        }
    }

    private static async Task RewriteBodyAsync(HttpContext context, Func<Task> next, FaultKind kind, int delayMs)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        if (kind == FaultKind.DelayAnswer)
        {
            // The work is done; only the answer is late (the client may have given up by then).
            await Task.Delay(delayMs, context.RequestAborted);
            context.Response.ContentLength = body.Length;
            await original.WriteAsync(body, context.RequestAborted);
            return;
        }

        var half = body.AsMemory(0, body.Length / 2);
        if (kind == FaultKind.MalformedJson)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = half.Length;
            await original.WriteAsync(half, context.RequestAborted);
            return;
        }

        context.Response.ContentLength = body.Length;
        await original.WriteAsync(half, context.RequestAborted);
        await original.FlushAsync(context.RequestAborted);
        if (kind == FaultKind.StallMidBody)
        {
            try
            {
                await Task.Delay(delayMs, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up first.
            }
        }

        context.Abort();
    }

    private FaultRule? Take(HttpRequest request)
    {
        lock (_rules)
        {
            var index = _rules.FindIndex(r => r.Rule.Matches(request));
            if (index < 0)
            {
                return null;
            }

            var (rule, left) = _rules[index];
            if (left == 1)
            {
                _rules.RemoveAt(index);
            }
            else if (left > 1)
            {
                _rules[index] = (rule, left - 1);
            }

            return rule;
        }
    }

    private static string DefaultCode(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        422 => "unprocessable_entity",
        429 => "rate_limited",
        _ => "internal_error",
    };
}
