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

/// <summary>Kernel's error body (kernel-api.md §3).</summary>
public sealed record ApiError(string Code, string Message);

public static class KernelErrors
{
    public static IResult Answer(int status, string code, string message) =>
        Results.Json(new ApiError(code, message), KernelJson.Options, statusCode: status);

    public static IResult BadRequest(string message) => Answer(StatusCodes.Status400BadRequest, "bad_request", message);

    public static IResult NotFound(string what) => Answer(StatusCodes.Status404NotFound, "not_found", what + " not found");
}
