BeforeAll {
    $manifestPath = $env:KERNEL_TEST_MODULE
    Import-Module $manifestPath -Force
}

Describe 'The staged module' {
    It 'passes Test-ModuleManifest' {
        $manifest = Test-ModuleManifest -Path $manifestPath
        $manifest.Version | Should -Not -Be ([version]'0.0')
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'exports exactly the cmdlets its manifest lists, and nothing else' {
        $module = Get-Module Kernel
        $listed = (Import-PowerShellDataFile $manifestPath).CmdletsToExport
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($listed | Sort-Object)
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }

    It 'declares its output types' -ForEach @(
        @{ Command = 'New-KernelDeployment'; Type = 'Kernel.PowerShell.KernelDeployment' }
        @{ Command = 'Wait-KernelDeployment'; Type = 'Kernel.PowerShell.KernelDeployment' }
        @{ Command = 'Get-KernelDeployment'; Type = 'Kernel.PowerShell.KernelDeployment' }
        @{ Command = 'Connect-Kernel'; Type = 'Kernel.PowerShell.KernelSession' }
        @{ Command = 'Start-KernelEmulator'; Type = 'Kernel.PowerShell.KernelEmulator' }
    ) {
        (Get-Command $Command).OutputType.Name | Should -Contain $Type
    }
}

Describe 'The README' {
    It 'shows the example Pester suite exactly as the test run executes it' {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $example = (Get-Content -Raw (Join-Path $PSScriptRoot '../../examples/page-title.Tests.ps1')).TrimEnd()
        $block = "``````powershell`n" + $example.Replace("`r`n", "`n") + "`n``````"
        $readme.Replace("`r`n", "`n").Contains($block) | Should -BeTrue -Because "README.md must quote examples/page-title.Tests.ps1 verbatim"
    }
}
