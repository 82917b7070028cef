using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Kernel.PowerShell
{
    /// <summary>A Kernel deployment as the API last reported it.</summary>
    public sealed class KernelDeployment
    {
        private static readonly IReadOnlyDictionary<string, string> NoEnvVars =
            new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

        internal KernelDeployment(
            string id,
            string status,
            string? statusReason,
            string region,
            string? entrypointRelPath,
            IReadOnlyDictionary<string, string>? envVars,
            DateTimeOffset createdAt,
            DateTimeOffset? updatedAt,
            string? sourceType,
            string? sourceChecksum,
            string? sourceUrl,
            string? sourceRef,
            string? sourcePath,
            KernelApp? app = null)
        {
            Id = id;
            Status = status;
            StatusReason = statusReason;
            Region = region;
            EntrypointRelPath = entrypointRelPath;
            EnvVars = envVars ?? NoEnvVars;
            CreatedAt = createdAt;
            UpdatedAt = updatedAt;
            SourceType = sourceType;
            SourceChecksum = sourceChecksum;
            SourceUrl = sourceUrl;
            SourceRef = sourceRef;
            SourcePath = sourcePath;
            App = app;
        }

        /// <summary>
        /// Builds a deployment from a hashtable, for tests and mocks: <c>[KernelDeployment]@{ Id = 'x'; Status = 'running' }</c>.
        /// Id is required; Status defaults to queued, Region to aws.us-east-1a, CreatedAt to now.
        /// </summary>
        public KernelDeployment(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelDeployment));
            Id = given.Required<string>(nameof(Id));
            Status = given.Optional(nameof(Status), DeploymentStatus.Queued);
            StatusReason = given.Optional<string?>(nameof(StatusReason), null);
            Region = given.Optional(nameof(Region), Api.KernelRegions.Default);
            EntrypointRelPath = given.Optional<string?>(nameof(EntrypointRelPath), null);
            EnvVars = given.StringMap(nameof(EnvVars));
            CreatedAt = given.Optional(nameof(CreatedAt), DateTimeOffset.UtcNow);
            UpdatedAt = given.Optional<DateTimeOffset?>(nameof(UpdatedAt), null);
            SourceType = given.Optional<string?>(nameof(SourceType), null);
            SourceChecksum = given.Optional<string?>(nameof(SourceChecksum), null);
            SourceUrl = given.Optional<string?>(nameof(SourceUrl), null);
            SourceRef = given.Optional<string?>(nameof(SourceRef), null);
            SourcePath = given.Optional<string?>(nameof(SourcePath), null);
            App = given.Optional<KernelApp?>(nameof(App), null);
            given.RequireNoOthers();
        }

        public string Id { get; }

        /// <summary>queued, in_progress, running, failed or stopped (kept as text: the API may add states).</summary>
        public string Status { get; }

        public string? StatusReason { get; }

        public string Region { get; }

        public string? EntrypointRelPath { get; }

        /// <summary>Names of the deployment's environment variables; the API redacts their values to "".</summary>
        public IReadOnlyDictionary<string, string> EnvVars { get; }

        public DateTimeOffset CreatedAt { get; }

        public DateTimeOffset? UpdatedAt { get; }

        /// <summary>file or github.</summary>
        public string? SourceType { get; }

        /// <summary>Hex SHA-256 of the uploaded archive, as the server computed it.</summary>
        public string? SourceChecksum { get; }

        public string? SourceUrl { get; }

        public string? SourceRef { get; }

        public string? SourcePath { get; }

        /// <summary>The app version this deployment brought up, when a follow saw it (Wait-KernelDeployment).</summary>
        public KernelApp? App { get; }

        /// <summary>The app's name, when known.</summary>
        public string? AppName => App?.AppName;

        /// <summary>The app's version label, when known.</summary>
        public string? AppVersion => App?.Version;

        /// <summary>True once the deployment will not change on its own: running, failed or stopped.</summary>
        public bool IsSettled => DeploymentStatus.IsSettled(Status);

        public override string ToString() => Id;

        internal KernelDeployment WithApp(KernelApp? app) => app == null ? this : new KernelDeployment(
            Id, Status, StatusReason, Region, EntrypointRelPath, EnvVars, CreatedAt, UpdatedAt, SourceType, SourceChecksum, SourceUrl, SourceRef, SourcePath, app);
    }

    internal static class DeploymentStatus
    {
        public const string Queued = "queued";
        public const string InProgress = "in_progress";
        public const string Running = "running";
        public const string Failed = "failed";
        public const string Stopped = "stopped";

        public static bool IsSettled(string status) =>
            status == Running || status == Failed || status == Stopped;

        public static bool IsFailure(string status) => status == Failed || status == Stopped;
    }
}
