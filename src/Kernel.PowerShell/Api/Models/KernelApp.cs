using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

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

        /// <summary>
        /// Builds an app version from a hashtable, for tests and mocks:
        /// <c>[KernelApp]@{ AppName = 'shop'; DeploymentId = 'd1'; Actions = @{ Name = 'buy' } }</c>.
        /// AppName is required; Version defaults to latest, Region to aws.us-east-1a; actions may be names,
        /// hashtables or <see cref="KernelAppAction"/> objects.
        /// </summary>
        public KernelApp(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelApp));
            AppName = given.Required<string>(nameof(AppName));
            Id = given.Optional(nameof(Id), string.Empty);
            Version = given.Optional(nameof(Version), "latest");
            Region = given.Optional(nameof(Region), Api.KernelRegions.Default);
            DeploymentId = given.Optional(nameof(DeploymentId), string.Empty);
            Actions = given.List<object>(nameof(Actions)).Select(action => action switch
            {
                KernelAppAction ready => ready,
                IDictionary described => new KernelAppAction(WithOwner(described, AppName, Version)),
                _ => new KernelAppAction(AppName, Version, LanguagePrimitives.ConvertTo<string>(action), null, null),
            }).ToList().AsReadOnly();
            EnvVars = given.StringMap(nameof(EnvVars));
            given.RequireNoOthers();
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

        /// <summary>An action's hashtable with the app's name and version filled in where it gives none.</summary>
        private static IDictionary WithOwner(IDictionary action, string appName, string version)
        {
            var filled = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in action)
            {
                filled[entry.Key] = entry.Value;
            }

            if (!filled.ContainsKey(nameof(AppName)))
            {
                filled[nameof(AppName)] = appName;
            }

            if (!filled.ContainsKey(nameof(Version)))
            {
                filled[nameof(Version)] = version;
            }

            return filled;
        }
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

        /// <summary>Builds an action from a hashtable, for tests and mocks: <c>[KernelAppAction]@{ Name = 'buy' }</c>.</summary>
        public KernelAppAction(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelAppAction));
            Name = given.Required<string>(nameof(Name));
            AppName = given.Optional(nameof(AppName), string.Empty);
            Version = given.Optional(nameof(Version), "latest");
            InputSchema = given.Optional<object?>(nameof(InputSchema), null);
            OutputSchema = given.Optional<object?>(nameof(OutputSchema), null);
            given.RequireNoOthers();
        }

        public string AppName { get; }

        public string Version { get; }

        /// <summary>The action's name; pipe the action to Invoke-KernelAction to run it.</summary>
        public string Name { get; }

        /// <summary>JSON Schema of the payload as ConvertFrom-Json gives it (<c>$action.InputSchema.properties.url.type</c>), or null when Kernel could not generate one.</summary>
        public object? InputSchema { get; }

        /// <summary>JSON Schema of the output, or null.</summary>
        public object? OutputSchema { get; }

        public override string ToString() => Name;
    }
}
