using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;

namespace Kernel.PowerShell.Json
{
    /// <summary>
    /// Turns JSON into values PowerShell shows and pipes well: arrays become object[], numbers long or double.
    /// What users get (an invocation's output, an action's schemas) is what ConvertFrom-Json gives: objects become
    /// PSCustomObjects, nested; what the module reads for itself keeps objects as ordered dictionaries.
    /// </summary>
    internal static class JsonValues
    {
        /// <summary>JSON text as ConvertFrom-Json would give it; text that is not JSON is kept as it is rather than lost.</summary>
        public static object? ParseOrNull(string? json)
        {
            if (string.IsNullOrEmpty(json))
            {
                return null;
            }

            try
            {
                using var doc = JsonDocument.Parse(json!);
                return ToPowerShell(doc.RootElement);
            }
            catch (JsonException)
            {
                return json;
            }
        }

        /// <summary>
        /// A JSON value as ConvertFrom-Json gives it: an object is a PSCustomObject. One whose keys differ only in
        /// case cannot be one (PowerShell's property names ignore case; ConvertFrom-Json refuses it): it stays an
        /// ordered dictionary, which keeps every key.
        /// </summary>
        public static object? ToPowerShell(JsonElement element) => Convert(element, customObjects: true);

        /// <summary>A JSON value with objects as ordered dictionaries.</summary>
        public static object? ToPlain(JsonElement element) => Convert(element, customObjects: false);

        private static object? Convert(JsonElement element, bool customObjects)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var properties = element.EnumerateObject().ToList();
                    if (customObjects && properties.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() == properties.Count)
                    {
                        var custom = new PSObject();
                        foreach (var property in properties)
                        {
                            custom.Properties.Add(new PSNoteProperty(property.Name, Convert(property.Value, customObjects)));
                        }

                        return custom;
                    }

                    var map = new OrderedDictionary();
                    foreach (var property in properties)
                    {
                        map[property.Name] = Convert(property.Value, customObjects);
                    }

                    return map;
                case JsonValueKind.Array:
                    var items = new List<object?>();
                    foreach (var item in element.EnumerateArray())
                    {
                        items.Add(Convert(item, customObjects));
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
