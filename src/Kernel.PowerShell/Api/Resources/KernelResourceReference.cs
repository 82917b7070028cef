using System;

namespace Kernel.PowerShell
{
    /// <summary>
    /// What a parameter such as -Profile, -Proxy or -Browser takes: an id, a name, or one of the module's own
    /// objects, passed or piped. Text is looked up when the command runs (an unknown one is an ObjectNotFound
    /// error naming it); an object is used as it is, without asking the API again.
    /// </summary>
    public abstract class KernelResourceReference
    {
        private protected KernelResourceReference(string idOrName)
        {
            if (string.IsNullOrWhiteSpace(idOrName))
            {
                throw new ArgumentException("An id or a name cannot be empty.", nameof(idOrName));
            }

            IdOrName = idOrName.Trim();
        }

        private protected KernelResourceReference(object resource, string id)
        {
            Resource = resource ?? throw new ArgumentNullException(nameof(resource));
            Id = id;
        }

        /// <summary>The id or name as given, or null when an object was.</summary>
        public string? IdOrName { get; }

        /// <summary>The object's id when an object was given, or null.</summary>
        public string? Id { get; }

        /// <summary>The object given, if one was.</summary>
        internal object? Resource { get; }

        public override string ToString() => IdOrName ?? Id ?? string.Empty;
    }
}
