using System;
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

        /// <summary>With -Async -Wait: how long to wait (a TimeSpan, or seconds). Default 30 minutes.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        protected override void BeginProcessing()
        {
            RequirePositive(Timeout, nameof(Timeout));
            if ((Wait || AsyncTimeoutSeconds.HasValue) && !Async)
            {
                ThrowTerminatingError(ErrorCatalog.Create("AsyncOnly", ErrorCategory.InvalidArgument, null, "-Wait and -AsyncTimeoutSeconds go with -Async (without -Async the call already waits)."));
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

            var session = ResolveSession();
            var target = $"{AppName}/{ActionName} (version {Version}) on {session.BaseUri}";
            if (!ShouldProcess(target, Async ? "Start an invocation" : "Invoke"))
            {
                return;
            }

            var request = new InvocationRequest(AppName, ActionName, Version, payload, Async, AsyncTimeoutSeconds);
            var client = session.Client;
            KernelInvocation invocation;
            try
            {
                if (!Async)
                {
                    WatchingUnknown($"Get-KernelInvocation -AppName '{AppName}' -ActionName '{ActionName}' -Version '{Version}' -Status running");
                }

                invocation = Run("Invoking " + AppName + "/" + ActionName, async (observer, token) =>
                {
                    var id = await client.InvokeAsync(request, observer, token).ConfigureAwait(false);
                    observer.Verbose($"Invocation {id} of {AppName}/{ActionName} created.");
                    return await client.GetInvocationAsync(id, observer, token).ConfigureAwait(false);
                });
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, target);
                return;
            }
            finally
            {
                NotWatching();
            }

            session.Completions.Clear();
            if (Async && Wait)
            {
                try
                {
                    Watching(client, invocation.Id);
                    var result = Run("Waiting for invocation " + invocation.Id, (observer, token) => Follower.FollowInvocationAsync(client, invocation.Id, Timeout, observer, token));
                    FollowOutcomes.Write(this, result, Timeout);
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, invocation);
                }
                finally
                {
                    NotWatching();
                }

                return;
            }

            if (invocation.Status == InvocationStatus.Failed)
            {
                FollowOutcomes.WriteFailed(this, invocation);
                return;
            }

            WriteObject(invocation);
        }
    }
}
