using System;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// The project a session's requests act in, and the header that says so (kernel-api.md §1): an id in
    /// X-Kernel-Project-Id, as the official SDKs send it, or an id or exact name in X-Kernel-Project, as Kernel's CLI
    /// sends <c>--project</c> and KERNEL_PROJECT.
    /// </summary>
    internal sealed class ProjectHeader
    {
        public const string IdHeader = "X-Kernel-Project-Id";
        public const string IdOrNameHeader = "X-Kernel-Project";

        private ProjectHeader(string name, string value)
        {
            Name = name;
            Value = value;
        }

        /// <summary>The header's name.</summary>
        public string Name { get; }

        /// <summary>The project's id, or (in X-Kernel-Project) its id or name.</summary>
        public string Value { get; }

        public bool IsId => string.Equals(Name, IdHeader, StringComparison.Ordinal);

        public static ProjectHeader ById(string id) => new ProjectHeader(IdHeader, id);

        public static ProjectHeader ByIdOrName(string idOrName) => new ProjectHeader(IdOrNameHeader, idOrName);

        public override string ToString() => $"{Name}: {Value}";
    }
}
