using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;

namespace Kernel.PowerShell
{
    /// <summary>
    /// Reads the hashtable a test casts to one of the module's output types (<c>[KernelDeployment]@{ Id = 'x';
    /// Status = 'running' }</c>), so a Pester mock can return the module's real types and fakes can be piped into
    /// real cmdlets. Keys match property names without regard to case, values convert as PowerShell converts them,
    /// and a key that names no property (a typo) or a missing required one is an error, never a silent default.
    /// The objects stay read-only: a hashtable builds a new one, nothing changes an existing one.
    /// </summary>
    internal sealed class ModelProperties
    {
        private readonly Type _type;
        private readonly Dictionary<string, object?> _values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _read = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public ModelProperties(IDictionary properties, Type type)
        {
            _type = type;
            if (properties == null)
            {
                throw new ArgumentNullException(nameof(properties));
            }

            foreach (DictionaryEntry entry in properties)
            {
                var name = LanguagePrimitives.ConvertTo<string>(entry.Key) ?? string.Empty;
                _values[name] = entry.Value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : entry.Value;
            }
        }

        /// <summary>A property the hashtable must give.</summary>
        public T Required<T>(string name)
        {
            _read.Add(name);
            if (!_values.TryGetValue(name, out var value) || value == null || (value is string text && text.Length == 0))
            {
                throw new ArgumentException($"A {_type.Name} needs {name}: add {name} = … to the hashtable.");
            }

            return Convert<T>(name, value);
        }

        /// <summary>A property the hashtable may give; <paramref name="fallback"/> when it does not.</summary>
        public T Optional<T>(string name, T fallback)
        {
            _read.Add(name);
            return _values.TryGetValue(name, out var value) && value != null ? Convert<T>(name, value) : fallback;
        }

        /// <summary>A name → text map (env vars, headers): any dictionary, values as text; names compared by <paramref name="names"/> (ordinal by default).</summary>
        public IReadOnlyDictionary<string, string> StringMap(string name, StringComparer? names = null)
        {
            _read.Add(name);
            var map = new Dictionary<string, string>(names ?? StringComparer.Ordinal);
            if (_values.TryGetValue(name, out var value) && value != null)
            {
                if (!(value is IDictionary dictionary))
                {
                    throw new ArgumentException($"{_type.Name}.{name} takes a hashtable of names and values, not {value.GetType().Name}.");
                }

                foreach (DictionaryEntry entry in dictionary)
                {
                    map[LanguagePrimitives.ConvertTo<string>(entry.Key)] = entry.Value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(entry.Value);
                }
            }

            return new ReadOnlyDictionary<string, string>(map);
        }

        /// <summary>A list: one value or many, each converted (a hashtable becomes a <typeparamref name="T"/> in turn).</summary>
        public IReadOnlyList<T> List<T>(string name)
        {
            _read.Add(name);
            if (!_values.TryGetValue(name, out var value) || value == null)
            {
                return Array.Empty<T>();
            }

            var items = value is IEnumerable many && !(value is string) && !(value is IDictionary) ? many.Cast<object?>() : new[] { value };
            return items.Select(item => Convert<T>(name, item)).ToList().AsReadOnly();
        }

        /// <summary>A secret (a URL with a token): a SecureString as it is, or text, kept as a SecureString.</summary>
        public System.Security.SecureString? Secret(string name)
        {
            _read.Add(name);
            if (!_values.TryGetValue(name, out var value) || value == null)
            {
                return null;
            }

            return value as System.Security.SecureString ?? KernelRedaction.Protect(Convert<string>(name, value));
        }

        /// <summary>Fails on any key that named no property this type reads, listing the ones it has.</summary>
        public void RequireNoOthers()
        {
            var unknown = _values.Keys.Where(key => !_read.Contains(key)).OrderBy(key => key, StringComparer.OrdinalIgnoreCase).ToList();
            if (unknown.Count == 0)
            {
                return;
            }

            var settable = string.Join(", ", _read.OrderBy(key => key, StringComparer.OrdinalIgnoreCase));
            throw new ArgumentException($"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not a property" : "are not properties")} a {_type.Name} can be given; it takes {settable}.");
        }

        private T Convert<T>(string name, object? value)
        {
            try
            {
                return LanguagePrimitives.ConvertTo<T>(value);
            }
            catch (PSInvalidCastException ex)
            {
                throw new ArgumentException($"{_type.Name}.{name}: {ex.Message}", ex);
            }
        }
    }
}
