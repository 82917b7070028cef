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

    It 'states its licence, and ships it, with no public address made up' {
        $data = Import-PowerShellDataFile $manifestPath

        $data.Copyright | Should -BeLike '*the Kernel for PowerShell authors*MIT License*'
        $data.PrivateData.PSData.Tags | Should -Contain 'MIT'
        $data.PrivateData.PSData.Keys | Should -Not -Contain 'LicenseUri'
        $data.PrivateData.PSData.Keys | Should -Not -Contain 'ProjectUri'
        $licence = Get-Content -Raw (Join-Path (Split-Path $manifestPath) 'LICENSE')
        $licence | Should -Be (Get-Content -Raw (Join-Path $PSScriptRoot '../../LICENSE'))
        $licence | Should -BeLike 'MIT License*Copyright (c) * the Kernel for PowerShell authors*'
    }

    It 'carries the release notes of its version from CHANGELOG.md, and nothing of the source manifest''s build tokens' {
        $text = Get-Content -Raw $manifestPath
        $version = (Import-PowerShellDataFile $manifestPath).ModuleVersion
        $changelog = (Get-Content -Raw (Join-Path $PSScriptRoot '../../CHANGELOG.md')).Replace("`r`n", "`n")
        $notes = [regex]::Match($changelog, "(?ms)^## $([regex]::Escape($version))\s*\n(.*?)(?=^## |\z)").Groups[1].Value.Trim()

        $notes | Should -Not -BeNullOrEmpty -Because "CHANGELOG.md has a '## $version' section"
        (Get-Module Kernel).ReleaseNotes.Replace("`r`n", "`n") | Should -Be $notes
        $text | Should -Not -BeLike '*{{*'
        $text | Should -Not -BeLike '*Source manifest*'
        $text.TrimStart() | Should -BeLike '@{*'
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
