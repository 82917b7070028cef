# A user's Pester suite for the page-title app, run against the local Kernel emulator: no real deployments,
# no network. It is the example the README shows, and build.ps1 Test runs it as part of the suite.
BeforeAll {
    Import-Module Kernel
    $emulator = Start-KernelEmulator -StepDelay 0.05
    Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey
    $app = Join-Path $PSScriptRoot 'page-title'
}

AfterAll {
    Disconnect-Kernel
    $emulator | Stop-KernelEmulator
}

Describe 'Deploying page-title' {
    BeforeEach {
        # Each test starts with an empty journal, no faults and no scripted outcomes.
        Clear-KernelEmulatorJournal
        Clear-KernelEmulatorFault
        Clear-KernelEmulatorOutcome
    }

    It 'reaches running' {
        $deployment = New-KernelDeployment -Path $app -EntrypointRelPath main.py -EnvVars @{ GREETING = 'hi' } | Wait-KernelDeployment

        $deployment.Status | Should -Be 'running'
    }

    It 'sends the archive, the entrypoint and the env var names the API expects' {
        New-KernelDeployment -Path $app -EntrypointRelPath main.py -EnvVars @{ GREETING = 'hi' } | Out-Null

        $upload = Get-KernelEmulatorJournal -Method POST -Path /deployments
        $upload.FormFields | Should -Contain 'file'
        $upload.FormFields | Should -Contain 'entrypoint_rel_path'
        $upload.FormFields | Should -Contain 'env_vars[GREETING]'
        $upload.Headers.Authorization | Should -Be 'Bearer REDACTED'
    }

    It 'fails the wait with the build''s reason when the build fails' {
        Set-KernelEmulatorOutcome -DeploymentFailure 'pip install failed: playwright not found' -AppName page-title

        { New-KernelDeployment -Path $app -EntrypointRelPath main.py | Wait-KernelDeployment -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*pip install failed: playwright not found*'
    }

    It 'says nothing was created when the upload hits a server outage' {
        Add-KernelEmulatorFault -Path /deployments -Method POST -StatusCode 503

        { New-KernelDeployment -Path $app -EntrypointRelPath main.py -ErrorAction Stop } |
            Should -Throw -ErrorId 'DeploymentNotCreated,Kernel.PowerShell.Cmdlets.NewKernelDeploymentCommand'
    }

    It 'gets the deployment back when the upload arrived but the answer was lost' {
        Add-KernelEmulatorFault -Path /deployments -Method POST -Kind DropMidBody

        $deployment = New-KernelDeployment -Path $app -EntrypointRelPath main.py | Wait-KernelDeployment

        $deployment.Status | Should -Be 'running'
    }
}
