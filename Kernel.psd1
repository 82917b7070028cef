# Source manifest of the Kernel module. build.ps1 stages it into out/Kernel/ without these comment lines, with the
# version from Directory.Build.props and the release notes from that version's section of CHANGELOG.md in place of
# the {{...}} tokens below.
@{
    RootModule             = 'Kernel.PowerShell.dll'
    ModuleVersion          = '{{ModuleVersion}}'
    CompatiblePSEditions   = @('Desktop', 'Core')
    GUID                   = '5b0d7b0e-4a8f-4f55-9d0e-3c7f6f0c2a11'
    Author                 = 'the Kernel for PowerShell authors'
    CompanyName            = 'the Kernel for PowerShell authors'
    Copyright              = 'Copyright (c) 2026 the Kernel for PowerShell authors. Licensed under the MIT License (the LICENSE file in the module folder).'
    Description            = 'Deploy and run apps on Kernel (browser infrastructure for AI agents) from PowerShell: package and deploy app folders, follow deployments, run browsers with profiles, proxies, replays, extensions and pools, and test against a local Kernel API emulator.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('Kernel.Format.ps1xml')
    TypesToProcess         = @('Kernel.Types.ps1xml')
    CmdletsToExport        = @(
        'Connect-Kernel'
        'Disconnect-Kernel'
        'Get-KernelSession'
        'New-KernelDeployment'
        'Get-KernelDeployment'
        'Wait-KernelDeployment'
        'Get-KernelDeploymentLog'
        'Remove-KernelDeployment'
        'Get-KernelApp'
        'Invoke-KernelAction'
        'Get-KernelInvocation'
        'Wait-KernelInvocation'
        'Stop-KernelInvocation'
        'New-KernelBrowser'
        'Get-KernelBrowser'
        'Set-KernelBrowser'
        'Remove-KernelBrowser'
        'Start-KernelBrowserReplay'
        'Stop-KernelBrowserReplay'
        'Get-KernelBrowserReplay'
        'Save-KernelBrowserReplay'
        'New-KernelProfile'
        'Get-KernelProfile'
        'Rename-KernelProfile'
        'Remove-KernelProfile'
        'Save-KernelProfile'
        'New-KernelProxy'
        'Get-KernelProxy'
        'Set-KernelProxy'
        'Remove-KernelProxy'
        'Test-KernelProxy'
        'Publish-KernelExtension'
        'Get-KernelExtension'
        'Save-KernelExtension'
        'Remove-KernelExtension'
        'New-KernelBrowserPool'
        'Get-KernelBrowserPool'
        'Set-KernelBrowserPool'
        'Remove-KernelBrowserPool'
        'Clear-KernelBrowserPool'
        'Lock-KernelBrowser'
        'Unlock-KernelBrowser'
        'Start-KernelEmulator'
        'Stop-KernelEmulator'
        'Set-KernelEmulator'
        'Add-KernelEmulatorFault'
        'Get-KernelEmulatorFault'
        'Clear-KernelEmulatorFault'
        'Set-KernelEmulatorOutcome'
        'Clear-KernelEmulatorOutcome'
        'Get-KernelEmulatorJournal'
        'Clear-KernelEmulatorJournal'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            # MIT-licensed (LICENSE ships in the module folder). No LicenseUri or ProjectUri: there is no public address yet.
            Tags         = @('Kernel', 'Deploy', 'Browser', 'Agents', 'MIT', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = '{{ReleaseNotes}}'
        }
    }
}
