using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Invoke-KernelAction: runs an action of a deployed app.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KernelAction", SupportsShouldProcess = true)]
    [OutputType(typeof(KernelInvocation))]
    public sealed class InvokeKernelActionCommand : InvocationCmdlet
    {
        /// <summary>The app; binds from piped apps and actions.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(AppNameCompleter))]
        public string AppName { get; set; } = null!;

        /// <summary>The action; binds from the Name of piped actions.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ActionNameCompleter))]
        public string ActionName { get; set; } = null!;

        /// <summary>The app version label; binds from piped apps.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Version { get; set; } = "latest";

        /// <summary>The input: a hashtable or object (sent as JSON), or a string that is already JSON.</summary>
        [Parameter(Position = 2)]
        [AllowNull]
        public object? Payload { get; set; }

        /// <summary>Return as soon as Kernel has queued the invocation.</summary>
        [Parameter]
        public SwitchParameter Async { get; set; }

        /// <summary>With -Async: follow the invocation to its end, writing its logs to the Information stream.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Async: how long Kernel lets it run (10 to 3600 seconds; Kernel's default is 900).</summary>
        [Parameter]
        [ValidateRange(10, 3600)]
        public int? AsyncTimeoutSeconds { get; set; }

        /// <summary>
        /// How long to wait: for a sync invocation, for its answer (default 110 s; Kernel lets a sync action run
        /// 100 s); with -Async -Wait, for its end (default 30 minutes). A TimeSpan, seconds, or text such as 90s or 5m.
        /// </summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan? Timeout { get; set; }

        private static readonly TimeSpan SyncAnswerTimeout = TimeSpan.FromSeconds(110);
        private static readonly TimeSpan AsyncWaitTimeout = TimeSpan.FromMinutes(30);
        private volatile string? _createdId;

        protected override void BeginProcessing()
        {
            if ((Wait || AsyncTimeoutSeconds.HasValue || CancelOnStop) && !Async)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.AsyncOnly, ErrorCategory.InvalidArgument, null, "-Wait, -AsyncTimeoutSeconds and -CancelOnStop go with -Async (without -Async the call already waits, and the invocation's id is not known until it ends)."));
            }

            if (CancelOnStop && !Wait)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.AsyncOnly, ErrorCategory.InvalidArgument, null, "-CancelOnStop goes with -Async -Wait: it cancels the invocation when Ctrl+C stops the wait."));
            }

            if (Timeout is { } timeout && (!Async || Wait))
            {
                RequirePositive(timeout, nameof(Timeout));
            }
        }

        protected override void ProcessRecord()
        {
            string? payload;
            try
            {
                payload = WireFormat.Current.PayloadJson(Payload);
            }
            catch (FormatException ex)
            {
                WriteError(ErrorCatalog.Create(ErrorCatalog.InvalidPayload, ErrorCategory.InvalidArgument, Payload, ex.Message, ex));
                return;
            }

            var request = new InvocationRequest(AppName, ActionName, Version, payload, Async, AsyncTimeoutSeconds);
            if (!ShouldProcess(DescribeRequest(request), Async ? "Start an invocation" : "Invoke"))
            {
                return;
            }

            var session = ResolveSession();
            var client = session.Client;
            var lookup = $"Get-KernelInvocation -AppName '{AppName}' -ActionName '{ActionName}' -Version '{Version}' -Status running";
            KernelInvocation invocation;
            _createdId = null;
            try
            {
                invocation = Run("Invoking " + AppName + "/" + ActionName, async (observer, token) =>
                {
                    var id = await client.InvokeAsync(request, observer, token, Async ? (TimeSpan?)null : Timeout ?? SyncAnswerTimeout).ConfigureAwait(false);
                    _createdId = id;
                    observer.Verbose($"Invocation {id} of {AppName}/{ActionName} created.");
                    return await client.GetInvocationAsync(id, observer, token).ConfigureAwait(false);
                });
            }
            catch (PipelineStoppedException) when (IsStopping)
            {
                TellHost(_createdId is { } id
                    ? $"Invocation {id} may still be running on Kernel. Cancel it with: Stop-KernelInvocation -Id {id}"
                    : $"The invocation may still be running on Kernel. Find and cancel it with: {lookup} | Stop-KernelInvocation");
                throw;
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                if (_createdId is { } id)
                {
                    WriteResumable(ex, id, $"Invocation {id} was created, but reading it back failed", Async ? $"Wait-KernelInvocation -Id {id}" : $"Get-KernelInvocation -Id {id}");
                }
                else
                {
                    var record = Failure(ex, AppName + "/" + ActionName);
                    if (ex is KernelApiException api && api.StatusCode == System.Net.HttpStatusCode.NotFound && WhatExists(client) is { } advice)
                    {
                        record.ErrorDetails = new ErrorDetails($"{api.Message.TrimEnd('.')}. {advice}") { RecommendedAction = advice };
                    }

                    WriteError(record);
                }

                return;
            }

            session.Completions.Clear();
            if (Async && Wait)
            {
                FollowInvocation(client, invocation.Id, Timeout ?? AsyncWaitTimeout, invocation);
                return;
            }

            if (invocation.Status == InvocationStatus.Failed)
            {
                FollowOutcomes.WriteFailed(this, invocation);
                return;
            }

            WriteObject(invocation);
        }

        /// <summary>
        /// After a 404: what does exist, from one lookup of the app's running versions (the first page, bounded by
        /// the session's request timeout), as the fix to type. Null when the lookup fails or finds nothing to say.
        /// </summary>
        private string? WhatExists(KernelApiClient client)
        {
            List<KernelApp> versions;
            try
            {
                versions = Run("Looking up app " + AppName, async (observer, token) =>
                {
                    var found = new List<KernelApp>();
                    await client.ListAsync(AppApi.Resource, new Query().With("app_name", AppName), 0, KernelApiClient.MaxPageSize, app => { found.Add(app); return true; }, observer, token).ConfigureAwait(false);
                    return found;
                });
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                return null;
            }

            if (versions.Count == 0)
            {
                return $"No version of app '{AppName}' is running; Get-KernelApp lists the apps that are.";
            }

            var version = versions.FirstOrDefault(v => v.Version == Version);
            if (version == null)
            {
                return $"App '{AppName}' has no version '{Version}' running; it runs {string.Join(", ", versions.Select(v => "'" + v.Version + "'"))}: add -Version {KernelCompleter.Quote(versions[0].Version)}.";
            }

            return version.Actions.Any(a => a.Name == ActionName)
                ? null
                : $"App '{AppName}' version '{Version}' has no action '{ActionName}'; its actions: {string.Join(", ", version.Actions.Select(a => a.Name))}.";
        }

        /// <summary>What POST /invocations would carry, for -WhatIf and -Confirm: every field but the payload's content.</summary>
        private string DescribeRequest(InvocationRequest request) =>
            $"{AppName}/{ActionName} version {Version} on {DescribeEndpoint()} (POST /invocations: app_name, action_name, version{(request.Payload == null ? string.Empty : $", payload ({request.Payload.Length} characters of JSON)")}, async {(Async ? "true" : "false")}{(AsyncTimeoutSeconds is { } seconds ? $", async_timeout_seconds {seconds}" : string.Empty)})";
    }
}
