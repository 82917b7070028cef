using System;
using System.Collections.Generic;
using System.Linq;

namespace Kernel.PowerShell.Api
{
    /// <summary>An immutable query string; parameters without a value are left out.</summary>
    internal sealed class Query
    {
        private readonly IReadOnlyList<KeyValuePair<string, string>> _pairs;

        public Query()
            : this(Array.Empty<KeyValuePair<string, string>>())
        {
        }

        private Query(IReadOnlyList<KeyValuePair<string, string>> pairs) => _pairs = pairs;

        public Query With(string name, string? value) =>
            string.IsNullOrEmpty(value) ? this : new Query(_pairs.Concat(new[] { new KeyValuePair<string, string>(name, value!) }).ToList());

        /// <summary>A flag sent only when set: <c>include_deleted=true</c>.</summary>
        public Query WithFlag(string name, bool set) => set ? With(name, "true") : this;

        /// <summary>A map in the deepObject style the API filters tags with: <c>tags[team]=backend&amp;tags[env]=staging</c>.</summary>
        public Query WithMap(string name, IEnumerable<KeyValuePair<string, string>>? map) =>
            map == null ? this : map.Aggregate(this, (query, pair) => query.With(name + "[" + pair.Key + "]", pair.Value));

        /// <summary>True when no parameter is set.</summary>
        public bool IsEmpty => _pairs.Count == 0;

        public override string ToString() =>
            _pairs.Count == 0 ? string.Empty : "?" + string.Join("&", _pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
    }
}
