using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Turns a -Payload into the JSON text the API wants: a string must already be JSON and is sent as it is;
    /// hashtables, PSCustomObjects, arrays and plain values are serialized the way ConvertTo-Json would.
    /// </summary>
    internal static class PayloadJson
    {
        private const int MaxDepth = 64;

        public static string? From(object? payload)
        {
            var value = payload is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : payload;
            if (value == null)
            {
                return null;
            }

            if (value is string text)
            {
                try
                {
                    using var _ = JsonDocument.Parse(text);
                    return text;
                }
                catch (JsonException ex)
                {
                    throw new FormatException($"-Payload is a string but not JSON ({ex.Message}). Pass a hashtable or object, or JSON text such as '{{\"url\":\"https://example.com\"}}'.", ex);
                }
            }

            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                Write(json, payload, 0);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static void Write(Utf8JsonWriter json, object? value, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException($"-Payload is nested deeper than {MaxDepth} levels (a reference loop?).");
            }

            var psObject = value as PSObject;
            var baseObject = psObject?.BaseObject ?? value;
            switch (baseObject)
            {
                case null:
                    json.WriteNullValue();
                    return;
                case string s:
                    json.WriteStringValue(s);
                    return;
                case char c:
                    json.WriteStringValue(c.ToString());
                    return;
                case bool b:
                    json.WriteBooleanValue(b);
                    return;
                case Enum e:
                    json.WriteStringValue(e.ToString());
                    return;
                case DateTime time:
                    json.WriteStringValue(time.ToString("o", CultureInfo.InvariantCulture));
                    return;
                case DateTimeOffset time:
                    json.WriteStringValue(time.ToString("o", CultureInfo.InvariantCulture));
                    return;
                case Guid guid:
                    json.WriteStringValue(guid.ToString());
                    return;
                case Uri uri:
                    json.WriteStringValue(uri.ToString());
                    return;
                case sbyte _:
                case byte _:
                case short _:
                case ushort _:
                case int _:
                case uint _:
                case long _:
                    json.WriteNumberValue(Convert.ToInt64(baseObject, CultureInfo.InvariantCulture));
                    return;
                case ulong u:
                    json.WriteNumberValue(u);
                    return;
                case float _:
                case double _:
                    json.WriteNumberValue(Convert.ToDouble(baseObject, CultureInfo.InvariantCulture));
                    return;
                case decimal d:
                    json.WriteNumberValue(d);
                    return;
                case IDictionary dictionary:
                    json.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                        Write(json, entry.Value, depth + 1);
                    }

                    json.WriteEndObject();
                    return;
                case IEnumerable items:
                    json.WriteStartArray();
                    foreach (var item in items)
                    {
                        Write(json, item, depth + 1);
                    }

                    json.WriteEndArray();
                    return;
                default:
                    json.WriteStartObject();
                    foreach (var property in (psObject ?? PSObject.AsPSObject(baseObject)).Properties.Where(p => p.IsGettable))
                    {
                        json.WritePropertyName(property.Name);
                        Write(json, property.Value, depth + 1);
                    }

                    json.WriteEndObject();
                    return;
            }
        }
    }
}
