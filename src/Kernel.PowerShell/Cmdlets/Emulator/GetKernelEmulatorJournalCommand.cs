using System.Linq;
using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Get-KernelEmulatorJournal: the requests the emulator received, oldest first.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelEmulatorJournal")]
    [OutputType(typeof(KernelEmulatorRequest))]
    public sealed class GetKernelEmulatorJournalCommand : EmulatorControlCmdlet
    {
        /// <summary>Only requests with this method.</summary>
        [Parameter]
        [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE")]
        public string? Method { get; set; }

        /// <summary>Only requests to these paths (wildcards allowed), such as /deployments or /invocations/*.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        protected override void ProcessRecord()
        {
            var journal = Query("Reading the Kernel emulator's journal", (control, token) => control.GetJournalAsync(token));
            if (journal == null)
            {
                return;
            }

            var paths = Path?.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToArray();
            foreach (var request in journal)
            {
                if ((Method == null || string.Equals(request.Method, Method, System.StringComparison.OrdinalIgnoreCase)) && (paths == null || paths.Any(p => p.IsMatch(request.Path))))
                {
                    WriteObject(request);
                }
            }
        }
    }
}
