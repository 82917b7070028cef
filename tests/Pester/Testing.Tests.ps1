# What a user's own Pester suite gets from the module: the examples of about_Kernel_Testing run as the Pester files
# they are, each in a fresh pwsh that imports the module by name, and every test in them passes.

BeforeDiscovery {
    $topic = Join-Path $PSScriptRoot '../../docs/en-US/about_Kernel_Testing.md'
    $text = Get-Content -Raw -LiteralPath $topic
    $section = $text.Substring($text.IndexOf("`n## EXAMPLES"))
    $section = $section.Substring(0, $section.IndexOf("`n## SEE ALSO"))
    $examples = foreach ($match in [regex]::Matches($section, '(?ms)^### (?<title>[^\r\n]+)\r?\n\r?\n```powershell\r?\n(?<code>.*?)^```')) {
        @{ Title = $match.Groups['title'].Value; Code = $match.Groups['code'].Value }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $pester = (Get-Module Pester).Path
}

Describe 'about_Kernel_Testing' {
    It 'has examples to run' -ForEach @{ Found = $examples.Count } {
        $Found | Should -BeGreaterOrEqual 3
    }

    It '<Title> passes as a Pester file' -ForEach $examples {
        $work = Join-Path ([IO.Path]::GetTempPath()) ("kernel-testing-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $work | Out-Null
        try {
            $file = Join-Path $work 'Example.Tests.ps1'
            Set-Content -LiteralPath $file -Value $Code
            $run = "Set-Location -LiteralPath '$work'; Import-Module '$pester'; " +
                "`$r = Invoke-Pester -Path '$file' -PassThru -Output None; " +
                "'RESULT {0} {1} {2}' -f `$r.PassedCount, `$r.FailedCount, (@(`$r.Failed.ErrorRecord | ForEach-Object { `$_.ToString() -replace '\s+', ' ' }) -join ' | ')"
            $output = @(Invoke-FreshPwsh -Command $run)
            $result = $output | Where-Object { "$_" -like 'RESULT *' } | Select-Object -Last 1

            $result | Should -Not -BeNullOrEmpty -Because ($output -join [Environment]::NewLine)
            $passed, $failed, $why = "$result".Substring(7).Split(' ', 3)
            [int]$failed | Should -Be 0 -Because $why
            [int]$passed | Should -BeGreaterOrEqual 2
        }
        finally {
            Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction Ignore
        }
    }
}
