using System.Text.Json;

namespace Kernel.Emulator.Store;

/// <summary>Reading a JSON request body and its fields, as every JSON endpoint does.</summary>
public static class JsonBody
{
    /// <summary>The body as a JSON object; null when it is empty, not JSON, or not an object.</summary>
    public static async Task<JsonDocument?> ReadObjectAsync(HttpRequest request, bool emptyIsObject = false)
    {
        if (emptyIsObject && request.ContentLength is 0 or null && !request.Headers.TransferEncoding.Any())
        {
            return JsonDocument.Parse("{}");
        }

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

    public static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool IsJson(string text)
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

/// <summary>
/// The typed fields of a JSON object, checked as they are read: the first problem is kept in <see cref="Error"/>
/// (answered as 400), and a field that is absent or null reads as null.
/// </summary>
public sealed class BodyFields(JsonElement root, string? prefix = null)
{
    public string? Error { get; private set; }

    public bool Has(string name) => root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>True when the field is there, null included (PATCH: null or absent means "leave it").</summary>
    public bool Present(string name) => root.TryGetProperty(name, out _);

    public string? String(string name) => Read(name, JsonValueKind.String, "a string", v => v.GetString());

    public bool? Bool(string name) => Read<bool?>(name, JsonValueKind.True, "true or false", v => v.GetBoolean());

    public int? Int(string name, int min, int max)
    {
        var value = Read<int?>(name, JsonValueKind.Number, "an integer", v => v.TryGetInt32(out var i) ? i : null);
        if (value is { } number && (number < min || number > max))
        {
            Fail($"{Path(name)} must be from {min} to {max}, not {number}");
            return null;
        }

        return value;
    }

    /// <summary>A nested object's fields, or null when the field is absent.</summary>
    public BodyFields? Object(string name)
    {
        var element = Read<JsonElement?>(name, JsonValueKind.Object, "an object", v => v.Clone());
        if (element is not { } inner)
        {
            return null;
        }

        var fields = new BodyFields(inner, Path(name));
        return fields;
    }

    public JsonElement? Raw(string name, JsonValueKind kind, string what) => Read<JsonElement?>(name, kind, what, v => v.Clone());

    /// <summary>An object of string values (tags): at most <paramref name="maxPairs"/> pairs.</summary>
    public Dictionary<string, string>? StringMap(string name, int maxPairs)
    {
        if (Object(name) is null)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in root.GetProperty(name).EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                Fail($"{Path(name)}.{property.Name} must be a string");
                return null;
            }

            map[property.Name] = property.Value.GetString()!;
        }

        if (map.Count > maxPairs)
        {
            Fail($"{Path(name)} holds {map.Count} pairs; at most {maxPairs} are allowed");
            return null;
        }

        return map;
    }

    /// <summary>Takes the first error of a nested object's fields.</summary>
    public void Adopt(BodyFields? inner)
    {
        if (inner?.Error is { } error)
        {
            Fail(error);
        }
    }

    public void Fail(string message) => Error ??= message;

    private T? Read<T>(string name, JsonValueKind kind, string what, Func<JsonElement, T> convert)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return default;
        }

        var matches = value.ValueKind == kind || (kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False);
        var result = matches ? convert(value) : default;
        if (result is null)
        {
            Fail($"{Path(name)} must be {what}");
        }

        return result;
    }

    private string Path(string name) => prefix is null ? name : prefix + "." + name;
}
