using System;
using System.IO;
using System.Reflection;
using System.Threading;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// Finds the wire format, on first use. The staged module keeps Kernel.PowerShell.Json and System.Text.Json in
    /// dependencies/, which nothing else probes, so another module's System.Text.Json (or PowerShell's own) is never
    /// ours and ours is never theirs:
    /// <list type="bullet">
    /// <item>PowerShell 7: an AssemblyLoadContext named <see cref="LoadContextName"/> holds Kernel.PowerShell.Json and
    /// the DLLs of dependencies/core (System.Text.Json's net8.0 build); the runtime, PowerShell and this assembly
    /// (whose types PowerShell must see) stay shared in the default context.</item>
    /// <item>Windows PowerShell 5.1 has no load contexts: Kernel.PowerShell.Json and its netstandard2.0 closure load
    /// from dependencies/, and only requests from this module's own assemblies are answered from there.</item>
    /// </list>
    /// Without dependencies/ (the test host, a development build) Kernel.PowerShell.Json sits beside this assembly.
    /// </summary>
    internal static class WireFormat
    {
        internal const string AssemblyName = "Kernel.PowerShell.Json";
        internal const string LoadContextName = "Kernel.PowerShell";
        private const string ImplementationType = "Kernel.PowerShell.Json.SystemTextJsonWireFormat";
        private const string LoadContextType = "System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader";

        private static readonly Lazy<IWireFormat> Loaded = new Lazy<IWireFormat>(Load, LazyThreadSafetyMode.ExecutionAndPublication);

        public static IWireFormat Current => Loaded.Value;

        private static IWireFormat Load()
        {
            var assembly = LoadAssembly();
            var type = assembly.GetType(ImplementationType, throwOnError: true)!;
            return (IWireFormat)Activator.CreateInstance(type, nonPublic: true)!;
        }

        private static Assembly LoadAssembly()
        {
            var ours = typeof(WireFormat).Assembly;
            var dependencies = string.IsNullOrEmpty(ours.Location) ? null : Path.Combine(Path.GetDirectoryName(ours.Location)!, "dependencies");
            var path = dependencies == null ? null : Path.Combine(dependencies, AssemblyName + ".dll");
            if (path == null || !File.Exists(path))
            {
                return Assembly.Load(new AssemblyName(AssemblyName));
            }

            var loadContextType = Type.GetType(LoadContextType, throwOnError: false);
            return loadContextType == null
                ? LoadOnDesktop(ours, dependencies!, path)
                : LoadInOwnContext(loadContextType, dependencies!, path);
        }

        // netstandard2.0 cannot name AssemblyLoadContext, hence reflection. A plain context asks the default context
        // before its own folder, so our dependencies are loaded into it first: a context binds a name to an assembly
        // it already holds before it asks anyone else.
        private static Assembly LoadInOwnContext(Type loadContextType, string dependencies, string path)
        {
            var context = Activator.CreateInstance(loadContextType, LoadContextName, false);
            var loadFromPath = loadContextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })
                ?? throw new MissingMethodException(loadContextType.FullName, "LoadFromAssemblyPath");
            var core = Path.Combine(dependencies, "core");
            if (Directory.Exists(core))
            {
                foreach (var dependency in Directory.GetFiles(core, "*.dll"))
                {
                    loadFromPath.Invoke(context, new object[] { dependency });
                }
            }

            return (Assembly)loadFromPath.Invoke(context, new object[] { path })!;
        }

        private static Assembly LoadOnDesktop(Assembly ours, string dependencies, string path)
        {
            var moduleFolder = Path.GetDirectoryName(ours.Location)! + Path.DirectorySeparatorChar;
            AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
            {
                var name = new AssemblyName(args.Name).Name;
                if (!AnswersFor(name, args.RequestingAssembly, moduleFolder))
                {
                    return null;
                }

                if (string.Equals(name, ours.GetName().Name, StringComparison.OrdinalIgnoreCase))
                {
                    return ours;
                }

                var file = string.IsNullOrEmpty(name) || name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 ? null : Path.Combine(dependencies, name + ".dll");
                return file != null && File.Exists(file) ? Assembly.LoadFrom(file) : null;
            };
            return Assembly.LoadFrom(path);
        }

        /// <summary>
        /// Whether the 5.1 resolve handler answers a request: only for what our own assemblies (those in the module
        /// folder) ask for. A request without a requesting assembly (Assembly.Load by name, Type.GetType) could come
        /// from anyone, so it is answered only when it names one of our own assemblies; our copies of shared
        /// libraries (System.Text.Json and its closure) are never handed to other modules.
        /// </summary>
        internal static bool AnswersFor(string? requestedName, Assembly? requester, string moduleFolder)
        {
            if (requester == null)
            {
                return string.Equals(requestedName, typeof(WireFormat).Assembly.GetName().Name, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(requestedName, AssemblyName, StringComparison.OrdinalIgnoreCase);
            }

            return !requester.IsDynamic && requester.Location.StartsWith(moduleFolder, StringComparison.OrdinalIgnoreCase);
        }
    }
}
