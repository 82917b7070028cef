using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text;
using System.Text.Json;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Json
{
    /// <summary>
    /// Writes the JSON we send: a -Payload (a string must already be JSON and is sent as it is; hashtables,
    /// PSCustomObjects, arrays and plain values are serialized the way ConvertTo-Json would), request bodies and
    /// a GitHub deployment source.
    /// </summary>
    internal static class JsonWriting
    {
        private const int MaxDepth = 64;

        public static string? Payload(object? payload, string parameter)
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
                    throw new FormatException($"{parameter} is a string but not JSON ({ex.Message}). Pass a hashtable or object, or JSON text such as '{{\"url\":\"https://example.com\"}}'.", ex);
                }
            }

            try
            {
                return Text(json => Write(json, payload, 0));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"{parameter} {ex.Message}", ex);
            }
        }

        /// <summary>A request body: the fields in order, those whose value is null left out.</summary>
        public static string Body(IEnumerable<KeyValuePair<string, object?>> fields) => Text(json =>
        {
            json.WriteStartObject();
            foreach (var field in fields)
            {
                if (field.Value != null)
                {
                    json.WritePropertyName(field.Key);
                    Write(json, field.Value, 0);
                }
            }

            json.WriteEndObject();
        });

        public static string GitHubSource(GitHubSource source) => Text(json =>
        {
            json.WriteStartObject();
            json.WriteString("type", "github");
            json.WriteString("url", source.Url);
            json.WriteString("ref", source.Ref);
            json.WriteString("entrypoint", source.Entrypoint);
            if (!string.IsNullOrEmpty(source.Path))
            {
                json.WriteString("path", source.Path);
            }

            if (source.Token != null)
            {
                json.WriteStartObject("auth");
                json.WriteString("method", "github_token");
                json.WriteString("token", new NetworkCredential(string.Empty, source.Token).Password);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        });

        private static string Text(Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                write(json);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static void Write(Utf8JsonWriter json, object? value, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException($"is nested deeper than {MaxDepth} levels (a reference loop?).");
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
                case System.Security.SecureString secret:
                    // A write-only secret (a proxy's password): plain text only here, in the request body.
                    json.WriteStringValue(new NetworkCredential(string.Empty, secret).Password);
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
