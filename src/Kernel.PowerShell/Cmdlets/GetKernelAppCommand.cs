using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Get-KernelApp: the app versions running deployments serve, with their actions.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelApp", SupportsPaging = true)]
    [OutputType(typeof(KernelApp))]
    public sealed class GetKernelAppCommand : KernelSessionCmdlet
    {
        /// <summary>Only this app.</summary>
        [Parameter(Position = 0)]
        [Alias("AppName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(AppNameCompleter))]
        public string? Name { get; set; }

        /// <summary>Only this version label.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Version { get; set; }

        /// <summary>Search by app name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        protected override void EndProcessing()
        {
            var client = ResolveClient();
            try
            {
                WritePaged<KernelApp>("Listing apps", (skip, first, emit, observer, token) =>
                    client.ListAppsAsync(Name, Version, Query, skip, first, emit, observer, token));
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, Name);
            }
        }
    }
}
