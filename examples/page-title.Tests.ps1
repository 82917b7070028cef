# A user's Pester suite for the page-title app, run against the local Kernel emulator: no real deployments,
# no network. It is the example the README shows, and build.ps1 Test runs it as part of the suite.
BeforeAll {
    Import-Module Kernel
    $emulator = Start-KernelEmulator -StepDelay 0.05
    Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey
    $control = "$($emulator.BaseUri)_emulator"   # the emulator's test controls: journal, faults, scripted outcomes
    $app = Join-Path $PSScriptRoot 'page-title'
}

AfterAll {
    Disconnect-Kernel
    $emulator | Stop-KernelEmulator
}

Describe 'Deploying page-title' {
    It 'reaches running' {
        $deployment = New-KernelDeployment -Path $app -EntrypointRelPath main.py -EnvVars @{ GREETING = 'hi' } | Wait-KernelDeployment

        $deployment.Status | Should -Be 'running'
    }

    It 'sends the archive, the entrypoint and the env var names the API expects' {
        Invoke-RestMethod -Method Delete "$control/journal"

        New-KernelDeployment -Path $app -EntrypointRelPath main.py -EnvVars @{ GREETING = 'hi' } | Out-Null

        $upload = (Invoke-RestMethod "$control/journal") | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/deployments' }
        $upload.form_fields | Should -Contain 'file'
        $upload.form_fields | Should -Contain 'entrypoint_rel_path'
        $upload.form_fields | Should -Contain 'env_vars[GREETING]'
        $upload.headers.Authorization | Should -Be 'Bearer REDACTED'
    }

    It 'fails the wait with the build''s reason when the build fails' {
        $failure = @{ app_name = 'page-title'; reason = 'pip install failed: playwright not found' } | ConvertTo-Json
        Invoke-RestMethod -Method Post "$control/scripts/deployment-failures" -ContentType 'application/json' -Body $failure

        { New-KernelDeployment -Path $app -EntrypointRelPath main.py | Wait-KernelDeployment -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*pip install failed: playwright not found*'
    }

    It 'says nothing was created when the upload hits a server outage' {
        $fault = @{ method = 'POST'; path = '/deployments'; kind = 'status'; status = 503; times = 1 } | ConvertTo-Json
        Invoke-RestMethod -Method Post "$control/faults" -ContentType 'application/json' -Body $fault

        { New-KernelDeployment -Path $app -EntrypointRelPath main.py -ErrorAction Stop } |
            Should -Throw -ErrorId 'DeploymentNotCreated,Kernel.PowerShell.Cmdlets.NewKernelDeploymentCommand'
    }

    It 'gets the deployment back when the upload arrived but the answer was lost' {
        $fault = @{ method = 'POST'; path = '/deployments'; kind = 'drop_mid_body'; times = 1 } | ConvertTo-Json
        Invoke-RestMethod -Method Post "$control/faults" -ContentType 'application/json' -Body $fault

        $deployment = New-KernelDeployment -Path $app -EntrypointRelPath main.py | Wait-KernelDeployment

        $deployment.Status | Should -Be 'running'
    }
}
