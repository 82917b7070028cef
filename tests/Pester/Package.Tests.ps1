# The .nupkg that build.ps1 Package makes installs like any gallery module and works.
Describe 'The packaged module' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $repository = 'KernelTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-PSResourceRepository -Name $repository -Uri $env:KERNEL_TEST_PACKAGE -Trusted
        $modules = Join-Path ([IO.Path]::GetTempPath()) ("kernel-modules-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $modules | Out-Null
    }

    AfterAll {
        Unregister-PSResourceRepository -Name $repository
        Remove-Item -Recurse -Force $modules
    }

    It 'installs from a local folder repository and imports by name in a fresh PowerShell' {
        Save-PSResource -Name Kernel -Repository $repository -Path $modules -TrustRepository

        $version = (Import-PowerShellDataFile $env:KERNEL_TEST_MODULE).ModuleVersion
        Test-Path (Join-Path $modules "Kernel/$version/Kernel.psd1") | Should -BeTrue
        $script = "`$env:PSModulePath = '$modules'; Import-Module Kernel; " +
            '$emu = Start-KernelEmulator; Connect-Kernel -BaseUri $emu.BaseUri -ApiKey $emu.ApiKey; ' +
            "(New-KernelDeployment -Path '$(Join-Path $PSScriptRoot '../../examples/page-title')' -EntrypointRelPath main.py -Wait).Status; " +
            '(Get-Module Kernel).ModuleBase; $emu | Stop-KernelEmulator'
        $output = Invoke-FreshPwsh -Command $script

        $LASTEXITCODE | Should -Be 0
        $output | Should -Contain 'running'
        $output | Should -Contain (Join-Path $modules "Kernel/$version")
    }
}
