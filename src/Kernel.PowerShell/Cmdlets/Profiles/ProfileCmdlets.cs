using System;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>New-KernelProfile: creates browser profiles (one per name; none given, one without a name).</summary>
    [Cmdlet(VerbsCommon.New, "KernelProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KernelProfile))]
    public sealed class NewKernelProfileCommand : KernelSessionCmdlet
    {
        /// <summary>Names for the profiles, unique in the project: letters, digits, dots, underscores and hyphens.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidatePattern("^[a-zA-Z0-9._-]{1,255}$")]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var name in Name ?? new string?[] { null })
            {
                var what = name == null ? "a profile without a name" : $"profile '{name}'";
                if (!ShouldProcess($"{what} on {DescribeEndpoint()}", "Create"))
                {
                    continue;
                }

                var session = ResolveSession();

                WriteCreated(
                    session,
                    "Creating " + what,
                    name,
                    (observer, token) => session.Client.CreateAsync(ProfileApi.Resource, new[] { BrowserSettings.Field("name", name) }, observer, token),
                    profile => $"Created {what}: {profile.Id}.");
            }
        }
    }

    /// <summary>Get-KernelProfile: profiles by id or name (wildcards), over every page.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelProfile", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(KernelProfile))]
    public sealed class GetKernelProfileCommand : GetResourceCmdlet<KernelProfile>
    {
        internal override ApiResource<KernelProfile> Resource => ProfileApi.Resource;
    }

    /// <summary>Rename-KernelProfile: gives a profile a new name (best while no browser is using it).</summary>
    [Cmdlet(VerbsCommon.Rename, "KernelProfile", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KernelProfile))]
    public sealed class RenameKernelProfileCommand : RenameResourceCmdlet<KernelProfile>
    {
        internal override ApiResource<KernelProfile> Resource => ProfileApi.Resource;

        internal override bool OneAtATime => true;
    }

    /// <summary>Remove-KernelProfile: deletes profiles and the state saved in them.</summary>
    [Cmdlet(VerbsCommon.Remove, "KernelProfile", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveKernelProfileCommand : RemoveResourceCmdlet<KernelProfile>
    {
        internal override ApiResource<KernelProfile> Resource => ProfileApi.Resource;

        internal override string RemoveAction => "Delete the profile and its saved state";
    }

    /// <summary>
    /// Save-KernelProfile: downloads a profile's saved state (the browser's user-data folder as a tar, zstd
    /// compressed unless -Format tar). Waits, up to -Timeout, while the API says the profile holds nothing yet.
    /// </summary>
    [Cmdlet(VerbsData.Save, "KernelProfile", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveKernelProfileCommand : SaveResourceCmdlet<KernelProfile>
    {
        /// <summary>tar.zst (as Kernel stores it) or tar (decompressed by the API).</summary>
        [Parameter]
        [ValidateSet("tar.zst", "tar")]
        public string Format { get; set; } = "tar.zst";

        internal override ApiResource<KernelProfile> Resource => ProfileApi.Resource;

        internal override string FileName(ResourceTarget<KernelProfile> target) =>
            (target.Item?.Name ?? target.IdOrName) + "." + Format;

        internal override Task<FileInfo> DownloadAsync(KernelApiClient client, ResourceTarget<KernelProfile> target, FileDownload file, IOperationObserver observer, CancellationToken cancellationToken) =>
            client.DownloadProfileAsync(target.IdOrName, Format == "tar.zst" ? null : Format, file, Timeout, observer, cancellationToken);
    }
}
