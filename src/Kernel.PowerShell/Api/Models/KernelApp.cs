using System.Collections.Generic;

namespace Kernel.PowerShell
{
    /// <summary>An app version that a running deployment serves (the API's AppVersionSummary).</summary>
    public sealed class KernelApp
    {
        internal KernelApp(string id, string appName, string version, string region, string deploymentId, IReadOnlyList<KernelAppAction> actions, IReadOnlyDictionary<string, string> envVars)
        {
            Id = id;
            AppName = appName;
            Version = version;
            Region = region;
            DeploymentId = deploymentId;
            Actions = actions;
            EnvVars = envVars;
        }

        /// <summary>The app version's id.</summary>
        public string Id { get; }

        public string AppName { get; }

        public string Version { get; }

        public string Region { get; }

        /// <summary>The deployment serving this version.</summary>
        public string DeploymentId { get; }

        public IReadOnlyList<KernelAppAction> Actions { get; }

        /// <summary>Names of the version's environment variables; the API redacts their values to "".</summary>
        public IReadOnlyDictionary<string, string> EnvVars { get; }

        public override string ToString() => AppName + " " + Version;
    }

    /// <summary>An action an app version offers.</summary>
    public sealed class KernelAppAction
    {
        internal KernelAppAction(string appName, string version, string name, object? inputSchema, object? outputSchema)
        {
            AppName = appName;
            Version = version;
            Name = name;
            InputSchema = inputSchema;
            OutputSchema = outputSchema;
        }

        public string AppName { get; }

        public string Version { get; }

        /// <summary>The action's name; pipe the action to Invoke-KernelAction to run it.</summary>
        public string Name { get; }

        /// <summary>JSON Schema of the payload (dictionaries and arrays), or null when Kernel could not generate one.</summary>
        public object? InputSchema { get; }

        /// <summary>JSON Schema of the output, or null.</summary>
        public object? OutputSchema { get; }

        public override string ToString() => Name;
    }
}
