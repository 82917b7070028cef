using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Get-KernelDeploymentLog: a deployment's log lines as objects. Without -Follow it returns what has been
    /// logged and stops after a quiet spell, like `kernel deploy logs`; with -Follow it streams until the
    /// deployment ends or Ctrl+C.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KernelDeploymentLog", DefaultParameterSetName = AppSet)]
    [OutputType(typeof(KernelLogEntry))]
    public sealed class GetKernelDeploymentLogCommand : KernelSessionCmdlet
    {
        // The app set is the default so that a piped app version binds to -App: PowerShell tries the default set first.
        private const string IdSet = "Id";
        private const string AppSet = "App";

        /// <summary>The deployment id; binds from the Id of piped deployments.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("DeploymentId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DeploymentIdCompleter))]
        public string Id { get; set; } = null!;

        /// <summary>An app version (Get-KernelApp output): the log of its deployment. A piped app version binds here, not to -Id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AppSet, ValueFromPipeline = true, HelpMessage = "Pipe an app version from Get-KernelApp here; give a deployment id with -Id.")]
        [ValidateNotNull]
        public KernelApp App { get; set; } = null!;

        /// <summary>Only lines since then: a DateTime, a TimeSpan ago, or text such as 5m or an RFC 3339 time.</summary>
        [Parameter]
        [SinceArgument]
        public string? Since { get; set; }

        /// <summary>Keep streaming new lines until the deployment ends or Ctrl+C.</summary>
        [Parameter]
        public SwitchParameter Follow { get; set; }

        /// <summary>Without -Follow: stop after this long without a new line (a TimeSpan, or seconds). Default 3 s, like the CLI.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(3);

        protected override void BeginProcessing() => RequirePositive(QuietPeriod, nameof(QuietPeriod));

        protected override void ProcessRecord()
        {
            var id = ParameterSetName == AppSet ? DeploymentIds(new[] { App }).FirstOrDefault() : Id;
            if (id == null)
            {
                return;
            }

            var client = ResolveClient();
            try
            {
                RunStreaming<KernelLogEntry>("Reading the log of deployment " + id, async (observer, emit, token) =>
                {
                    using var quiet = CancellationTokenSource.CreateLinkedTokenSource(token);
                    if (!Follow)
                    {
                        quiet.CancelAfter(QuietPeriod);
                    }

                    try
                    {
                        await client.FollowDeploymentEventsAsync(id, Since, e =>
                        {
                            if (e is KernelEvent.Log log)
                            {
                                if (!Follow)
                                {
                                    quiet.CancelAfter(QuietPeriod);
                                }

                                return emit(log.Entry);
                            }

                            if (e is KernelEvent.Error error)
                            {
                                observer.Warning($"Deployment {id} reported an error: {error.Body}");
                            }

                            return true;
                        }, observer, quiet.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (quiet.IsCancellationRequested && !token.IsCancellationRequested)
                    {
                        // The quiet spell ended the read: that is how a log without -Follow finishes.
                    }
                    catch (TimeoutException) when (!Follow)
                    {
                        // Silence longer than the idle timeout ends a plain read just as well.
                    }
                });
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, id);
            }
        }
    }
}
