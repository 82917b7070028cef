BeforeAll {
    Import-Module $env:KERNEL_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Connect-Kernel' {
    AfterEach { Disconnect-Kernel }

    It 'writes nothing to the output stream unless -PassThru' {
        Connect-Kernel -ApiKey (ConvertTo-SecureString 'sk_x' -AsPlainText -Force) -BaseUri http://127.0.0.1:9/ -SkipVerify | Should -BeNullOrEmpty
    }

    It 'shows where the key came from, never the key' {
        $session = Connect-Kernel -ApiKey (ConvertTo-SecureString 'sk_visible_check' -AsPlainText -Force) -BaseUri http://127.0.0.1:9/ -SkipVerify -PassThru
        $session.ApiKeySource | Should -Be '-ApiKey parameter'
        ($session | Format-List * | Out-String) | Should -Not -Match 'sk_visible_check'
        Get-KernelSession | Should -Be $session
    }

    It 'takes the key and endpoint from KERNEL_API_KEY and KERNEL_BASE_URL' {
        $env:KERNEL_API_KEY = 'sk_from_env'
        $env:KERNEL_BASE_URL = 'http://127.0.0.1:9'
        try {
            $session = Connect-Kernel -PassThru -SkipVerify
            $session.ApiKeySource | Should -Be 'KERNEL_API_KEY environment variable'
            $session.BaseUri | Should -Be 'http://127.0.0.1:9/'
        }
        finally {
            Remove-Item Env:KERNEL_API_KEY, Env:KERNEL_BASE_URL
        }
    }

    It 'defaults to the public API' {
        (Connect-Kernel -ApiKey (ConvertTo-SecureString 'sk_x' -AsPlainText -Force) -PassThru -SkipVerify).BaseUri | Should -Be 'https://api.onkernel.com/'
    }

    It 'fails with NoApiKey when there is no key and a non-interactive host cannot ask for one' {
        { Connect-Kernel -ErrorAction Stop } | Should -Throw -ErrorId 'NoApiKey,Kernel.PowerShell.Cmdlets.ConnectKernelCommand'
    }
}

Describe 'Sessions from the environment and projects' {
    BeforeAll {
        $emulator = Start-KernelEmulator -Project @{ staging = 'proj_stg'; production = 'proj_prod' }
        $plainKey = [Net.NetworkCredential]::new('', $emulator.ApiKey).Password
    }

    AfterAll {
        $emulator | Stop-KernelEmulator
    }

    BeforeEach {
        $emulator | Clear-KernelEmulatorJournal
    }

    AfterEach {
        Disconnect-Kernel
        Remove-Item Env:KERNEL_API_KEY, Env:KERNEL_BASE_URL, Env:KERNEL_PROJECT -ErrorAction Ignore
    }

    It 'shows KERNEL_PROJECT in Get-KernelSession before any call: the session the variables make, unverified' {
        $env:KERNEL_API_KEY = $plainKey
        $env:KERNEL_BASE_URL = $emulator.BaseUri
        $env:KERNEL_PROJECT = 'staging'

        $session = Get-KernelSession

        $session.BaseUri | Should -Be $emulator.BaseUri
        $session.Project | Should -Be 'staging'
        $session.ProjectSource | Should -Be 'KERNEL_PROJECT environment variable'
        $session.ApiKeySource | Should -Be 'KERNEL_API_KEY environment variable'
        $session.IsVerified | Should -BeFalse
        @($emulator | Get-KernelEmulatorJournal) | Should -BeNullOrEmpty -Because 'Get-KernelSession sends nothing'
        $shown = $session | Out-String -Width 80
        $shown | Should -Match 'Project\s+: staging \(from the KERNEL_PROJECT environment variable\)'
        $shown | Should -Match 'ApiKeySource\s+: KERNEL_API_KEY environment variable'
        $shown | Should -Match 'Verified\s+: False \(the API has not accepted a request of this session yet\)'

        Get-KernelDeployment -First 1 | Out-Null

        (Get-KernelSession).Id | Should -Be $session.Id -Because 'the next cmdlet uses the very session Get-KernelSession showed'
        $session.IsVerified | Should -BeTrue
        ($emulator | Get-KernelEmulatorJournal -Path /deployments).Headers.'X-Kernel-Project' | Should -Be 'staging'
    }

    It 'says on the Verbose stream that it made the session from the environment and has not verified it' {
        $env:KERNEL_API_KEY = $plainKey
        $env:KERNEL_BASE_URL = $emulator.BaseUri

        $verbose = Get-KernelSession -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        "$verbose" | Should -BeLike '*made this runspace''s default session from the environment*Not verified yet*'
    }

    It 'returns nothing, and no error, when the environment names no key either' {
        Get-KernelSession -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'reads KERNEL_PROJECT in Connect-Kernel too, where -Project and -ProjectId win over it' {
        $env:KERNEL_PROJECT = 'production'

        $fromEnvironment = Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -PassThru
        $byParameter = Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -Project staging -PassThru
        $byId = Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -ProjectId proj_stg -PassThru

        $fromEnvironment.Project, $fromEnvironment.ProjectSource | Should -Be 'production', 'KERNEL_PROJECT environment variable'
        $byParameter.Project, $byParameter.ProjectSource | Should -Be 'staging', '-Project parameter'
        $byId.ProjectId, $byId.ProjectSource | Should -Be 'proj_stg', '-ProjectId parameter'
        $sent = $emulator | Get-KernelEmulatorJournal -Path /deployments
        $sent[0].Headers.'X-Kernel-Project' | Should -Be 'production'
        $sent[1].Headers.'X-Kernel-Project' | Should -Be 'staging'
        $sent[2].Headers.'X-Kernel-Project-Id' | Should -Be 'proj_stg'
        $sent[2].Headers.Keys | Should -Not -Contain 'X-Kernel-Project' -Because 'one header says which project'
    }

    It 'refuses a KERNEL_PROJECT that a header cannot carry, before anything is sent' {
        $env:KERNEL_API_KEY = $plainKey
        $env:KERNEL_BASE_URL = $emulator.BaseUri
        $env:KERNEL_PROJECT = "staging`nX-Injected: 1"

        { Get-KernelSession -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidProject,Kernel.PowerShell.Cmdlets.GetKernelSessionCommand'
        { Get-KernelDeployment -ErrorAction Stop } | Should -Throw -ExpectedMessage '*KERNEL_PROJECT environment variable has a character an HTTP header cannot carry*'
        @($emulator | Get-KernelEmulatorJournal) | Should -BeNullOrEmpty
    }

    It 'names the environment variable when the project it names does not exist' {
        $env:KERNEL_API_KEY = $plainKey
        $env:KERNEL_BASE_URL = $emulator.BaseUri
        $env:KERNEL_PROJECT = 'no-such-project'

        { Connect-Kernel -ErrorAction Stop } | Should -Throw -ExpectedMessage "*does not know project 'no-such-project' from the KERNEL_PROJECT environment variable*"
    }
}

Describe 'A project-scoped key on the emulator' {
    BeforeAll {
        $emulator = Start-KernelEmulator -Project @{ staging = 'proj_stg'; production = 'proj_prod' } -ApiKeyProject staging
    }

    AfterAll {
        $emulator | Stop-KernelEmulator
        Disconnect-Kernel
    }

    It 'acts in its project with no project named, or that one named, and is refused for another' {
        Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey
        Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -Project staging
        Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -ProjectId proj_stg

        { Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -Project production -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*refused project 'production'*A project-scoped key works only in its own project*"
        ($emulator | Get-KernelEmulatorJournal -Path /deployments).StatusCode | Should -Be 200, 200, 200, 403
    }
}

Describe 'Start-KernelEmulator' {
    It 'serves on loopback with a key to connect with' {
        $emulator = Start-KernelEmulator
        try {
            $emulator.BaseUri.Host | Should -Be '127.0.0.1'
            $emulator.ApiKey | Should -BeOfType securestring
            Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey
            { Get-KernelDeployment -Id missing -ErrorAction Stop } | Should -Throw -ErrorId 'ApiNotFound,*'
        }
        finally {
            $emulator | Stop-KernelEmulator
            Disconnect-Kernel
        }

        $emulator.HasExited | Should -BeTrue
    }

    It 'never outlives the PowerShell that started it' {
        $command = "Import-Module '$env:KERNEL_TEST_MODULE'; (Start-KernelEmulator).ProcessId"
        $childPid = [int](Invoke-FreshPwsh -Command $command | Select-Object -Last 1)

        $childPid | Should -BeGreaterThan 0
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((Get-Process -Id $childPid -ErrorAction Ignore) -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 100
        }
        Get-Process -Id $childPid -ErrorAction Ignore | Should -BeNullOrEmpty
    }
}
