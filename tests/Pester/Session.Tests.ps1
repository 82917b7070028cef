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

    It 'asks for a key when there is none' {
        { Connect-Kernel -ErrorAction Stop } | Should -Throw -ErrorId 'NoApiKey,Kernel.PowerShell.Cmdlets.ConnectKernelCommand'
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
