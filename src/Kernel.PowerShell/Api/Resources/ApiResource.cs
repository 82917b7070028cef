using System;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// One kind of object the API serves under a path of its own (/browsers, /profiles, /proxies, /extensions, /browser_pools): how its
    /// objects are told apart and how a name is looked up. The generic calls of <see cref="KernelApiClient"/>
    /// (get, list, create, update, delete, resolve, list by name) take one; a new resource is one more of these.
    /// </summary>
    internal sealed class ApiResource<T>
        where T : class
    {
        private readonly string _readSuffix;

        public ApiResource(string path, string noun, string plural, Func<T, string> idOf, Func<T, string?> nameOf, bool namesInPath, string nameQuery, string? namedAs = null, string? readSuffix = null)
        {
            NamedAs = namedAs ?? "is named";
            _readSuffix = readSuffix ?? string.Empty;
            Path = path;
            Noun = noun;
            Plural = plural;
            IdOf = idOf;
            NameOf = nameOf;
            NamesInPath = namesInPath;
            NameQuery = nameQuery;
        }

        /// <summary>The collection's path relative to the base URI: <c>browsers</c>.</summary>
        public string Path { get; }

        /// <summary>One object, for messages: <c>browser</c>.</summary>
        public string Noun { get; }

        public string Plural { get; }

        public Func<T, string> IdOf { get; }

        public Func<T, string?> NameOf { get; }

        /// <summary>True when <c>GET {path}/{x}</c> takes a name as well as an id (browsers, profiles); proxies take ids only.</summary>
        public bool NamesInPath { get; }

        /// <summary>
        /// The list parameter that narrows a listing to one name: <c>name</c> where the API filters names exactly,
        /// <c>query</c> where it only searches; either way the names are then compared here.
        /// </summary>
        public string NameQuery { get; }

        /// <summary>How a name relates to an object, for "No invocation of an app named 'x'.": "is named" by default.</summary>
        public string NamedAs { get; }

        public string ItemPath(string idOrName) => Path + "/" + Uri.EscapeDataString(idOrName);

        /// <summary>
        /// Where one object is read: its path, or a sub-path where the item's own path serves something else
        /// (an extension's path is its archive; its metadata is <c>…/metadata</c>).
        /// </summary>
        public string ReadPath(string idOrName) => ItemPath(idOrName) + _readSuffix;

        /// <summary>The error for a name that no object of this resource has.</summary>
        public KernelObjectNotFoundException NameNotFound(string name) =>
            new KernelObjectNotFoundException(Noun, name, byName: true, message: $"No {Noun} {NamedAs} '{name}'.");
    }
}
