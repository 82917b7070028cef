using System.Collections.Generic;
using System.Collections.Specialized;
using System.Text.Json;

namespace Kernel.PowerShell.Json
{
    /// <summary>
    /// Turns JSON into plain .NET values PowerShell shows and pipes well: objects become ordered dictionaries
    /// (so <c>$x.title</c> works and ConvertTo-Json round-trips), arrays object[], numbers long or double.
    /// </summary>
    internal static class JsonValues
    {
        public static object? ParseOrNull(string? json)
        {
            if (string.IsNullOrEmpty(json))
            {
                return null;
            }

            try
            {
                using var doc = JsonDocument.Parse(json!);
                return ToPlain(doc.RootElement);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the text rather than lose it.
                return json;
            }
        }

        public static object? ToPlain(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var map = new OrderedDictionary();
                    foreach (var property in element.EnumerateObject())
                    {
                        map[property.Name] = ToPlain(property.Value);
                    }

                    return map;
                case JsonValueKind.Array:
                    var items = new List<object?>();
                    foreach (var item in element.EnumerateArray())
                    {
                        items.Add(ToPlain(item));
                    }

                    return items.ToArray();
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    return element.TryGetInt64(out var whole) ? whole : (object)element.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }
    }
}
