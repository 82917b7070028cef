using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kernel.Emulator;

/// <summary>JSON as the Kernel API writes it: snake_case names, optional fields left out, UTC 'Z' timestamps.</summary>
public static class KernelJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}

/// <summary>Kernel's error body (kernel-api.md §3), with its optional details[] and inner_error.</summary>
public sealed record ApiError(string Code, string Message, IReadOnlyList<ApiErrorDetail>? Details = null, ApiErrorDetail? InnerError = null);

/// <summary>One entry of an error's details[], or its inner_error.</summary>
public sealed record ApiErrorDetail(string? Code, string? Message);

public static class KernelErrors
{
    public static IResult Answer(int status, string code, string message, IReadOnlyList<ApiErrorDetail>? details = null, ApiErrorDetail? innerError = null) =>
        Results.Json(new ApiError(code, message, details is { Count: > 0 } ? details : null, innerError), KernelJson.Options, statusCode: status);

    public static IResult BadRequest(string message, params ApiErrorDetail[] details) => Answer(StatusCodes.Status400BadRequest, "bad_request", message, details);

    /// <summary>409: another object of the kind (an extension, a browser pool, …) has the name.</summary>
    public static IResult NameTaken(string what, string name) => Answer(StatusCodes.Status409Conflict, "conflict", $"{what} is already named '{name}'");

    public static IResult NotFound(string what) => Answer(StatusCodes.Status404NotFound, "not_found", what + " not found");
}
