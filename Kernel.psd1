# Source manifest of the Kernel module. build.ps1 stages it into out/Kernel/ with the version from
# Directory.Build.props in place of the token below.
@{
    RootModule             = 'Kernel.PowerShell.dll'
    ModuleVersion          = '{{ModuleVersion}}'
    CompatiblePSEditions   = @('Desktop', 'Core')
    GUID                   = '5b0d7b0e-4a8f-4f55-9d0e-3c7f6f0c2a11'
    Author                 = 'Kernel for PowerShell contributors'
    CompanyName            = 'Kernel for PowerShell contributors'
    Copyright              = '(c) Kernel for PowerShell contributors.'
    Description            = 'Deploy and run apps on Kernel (browser infrastructure for AI agents) from PowerShell: package and deploy app folders, follow deployments, run browsers with profiles, proxies and replays, and test against a local Kernel API emulator.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('Kernel.Format.ps1xml')
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
        'Start-KernelEmulator'
        'Stop-KernelEmulator'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Kernel', 'Deploy', 'Browser', 'Agents', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = 'Deployments (folder, ZIP or GitHub; follow, logs, remove), apps, invocations, browsers, profiles, proxies, replays, sessions and the local Kernel emulator.'
        }
    }
}
