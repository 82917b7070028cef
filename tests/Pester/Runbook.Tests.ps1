# What a runbook host (Azure Automation, CI, a scheduled task) relies on: a non-interactive pwsh that never stops
# to ask, and an emulator that outlives the keys pressed at the prompt of the shell that started it.
BeforeAll {
    Import-Module $env:KERNEL_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $example = (Resolve-Path (Join-Path $PSScriptRoot '../../examples/page-title')).ProviderPath
}

Describe '-Debug in a non-interactive host' {
    It 'never prompts, on any cmdlet, and shows the verbose messages on the Debug stream' {
        $script = Join-Path $TestDrive 'debug-everything.ps1'
        Set-Content -LiteralPath $script -Value @'
param($Module, $Example)
Import-Module $Module
$ran = [System.Collections.Generic.List[string]]::new()
function Step([string] $Name, [scriptblock] $Block) {
    $ran.Add($Name)
    try { & $Block } catch { "FAILED ${Name}: $_" }
}
$emu = $null; $d = $null; $i = $null; $a = $null
Step Start-KernelEmulator { $script:emu = Start-KernelEmulator -StepDelay 0.02 -Debug -ErrorAction Stop }
Step Connect-Kernel { Connect-Kernel -BaseUri $emu.BaseUri -ApiKey $emu.ApiKey -Debug -ErrorAction Stop }
Step Get-KernelSession { Get-KernelSession -Debug -ErrorAction Stop | Out-Null }
Step New-KernelDeployment { $script:d = New-KernelDeployment -Path $Example -EntrypointRelPath main.py -Debug -ErrorAction Stop }
Step Wait-KernelDeployment { Wait-KernelDeployment -Id $d.Id -Debug -ErrorAction Stop | Out-Null }
Step Get-KernelDeployment { Get-KernelDeployment -Id $d.Id -Debug -ErrorAction Stop | Out-Null }
Step Get-KernelDeploymentLog { Get-KernelDeploymentLog -Id $d.Id -QuietPeriod 0.3 -Debug -ErrorAction Stop | Out-Null }
Step Get-KernelApp { Get-KernelApp -Debug -ErrorAction Stop | Out-Null }
Step Invoke-KernelAction { $script:i = Invoke-KernelAction page-title health -Debug -ErrorAction Stop }
Step Get-KernelInvocation { Get-KernelInvocation -Id $i.Id -Debug -ErrorAction Stop | Out-Null }
Step Wait-KernelInvocation { $script:a = Invoke-KernelAction page-title health -Async -ErrorAction Stop; Wait-KernelInvocation -Id $a.Id -Debug -ErrorAction Stop | Out-Null }
Step Stop-KernelInvocation { Stop-KernelInvocation -Id (Invoke-KernelAction page-title health -Async).Id -Debug -ErrorAction Stop }
Step Remove-KernelDeployment { Remove-KernelDeployment -Id $d.Id -Confirm:$false -Debug -ErrorAction Stop }
Step Disconnect-Kernel { Disconnect-Kernel -Debug -ErrorAction Stop }
Step Stop-KernelEmulator { $emu | Stop-KernelEmulator -Debug -ErrorAction Stop }
"RAN $($ran -join ',')"
'@
        $lines = @(Invoke-FreshPwsh -File $script -Module $env:KERNEL_TEST_MODULE -Example $example | ForEach-Object { "$_" })

        $lines | Where-Object { $_ -like 'FAILED *' } | Should -BeNullOrEmpty
        ($lines -join "`n") | Should -Not -Match 'NonInteractive mode'
        $ran = ($lines | Where-Object { $_ -like 'RAN *' }) -replace '^RAN ' -split ','
        $exported = (Get-Module Kernel).ExportedCmdlets.Keys
        @($exported | Where-Object { $_ -notin $ran }) | Should -BeNullOrEmpty -Because 'every cmdlet runs with -Debug'
        ($lines -join "`n") | Should -Match 'DEBUG: To upload: ' -Because 'under -Debug the verbose messages come on the Debug stream'
    }
}
