# Shared by the Pester suite: dot-source it in BeforeAll.

function Invoke-FreshPwsh {
    <#
    .SYNOPSIS
        Runs arguments in a new pwsh process, the same PowerShell as this one, and returns its output lines.
        Under `dotnet pwsh` this process is the dotnet host running pwsh.dll, so the dll is passed on.
    #>
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $entry = [Environment]::GetCommandLineArgs()[0]
    if ($entry -like '*.dll') {
        & (Get-Process -Id $PID).Path $entry -NoProfile -NonInteractive @Arguments 2>&1
    }
    else {
        & $entry -NoProfile -NonInteractive @Arguments 2>&1
    }
}

function New-TestApp {
    <# .SYNOPSIS Writes an app folder from a table of relative path = content, and returns its path. #>
    param([hashtable] $Files)
    $root = Join-Path ([IO.Path]::GetTempPath()) ("kernel-pester-" + [guid]::NewGuid().ToString('N'))
    foreach ($name in $Files.Keys) {
        $path = Join-Path $root $name
        New-Item -ItemType Directory -Force (Split-Path $path) | Out-Null
        Set-Content -Path $path -Value $Files[$name] -NoNewline
    }
    $root
}
