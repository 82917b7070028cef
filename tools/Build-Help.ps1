#Requires -Version 7.2
<#
.SYNOPSIS
    Turns the module's markdown help (docs/en-US) into the help files Get-Help reads.
.DESCRIPTION
    Converts docs/en-US/<Cmdlet-Name>.md into one MAML file, named as the cmdlets' HelpFile says
    (Kernel.PowerShell.dll-Help.xml), and docs/en-US/about_*.md into about_*.help.txt, both in -OutputPath.

    Text (synopsis, description, parameter descriptions, examples, inputs, outputs, notes, links) comes from
    the markdown. Everything that describes the command itself (syntax per parameter set, required, position,
    pipeline input, wildcards, type, aliases) comes from the staged module, so it never drifts from the code.
    The module is never imported into the calling session: its DLL is loaded from its bytes into a collectible
    AssemblyLoadContext of its own and described by PowerShell's CmdletInfo, so a build keeps no handle on the
    file and a copy of the module already loaded in the process cannot answer for the staged one. With
    -ChildProcess (and for a module that is not a single DLL) the module is imported in a child
    pwsh -NoProfile instead.

    Malformed markdown (see docs/README.md) stops the conversion with every problem listed, file and line.
    Incomplete help (a cmdlet or parameter without text, fewer than two examples, a stale parameter, metadata
    that disagrees with the code) is written as warnings and converted anyway: tests/Pester/Help.Tests.ps1 is
    the gate for completeness.

    -UpdateMarkdown regenerates the parts of the markdown that come from the code instead (the SYNTAX
    sections and each parameter's metadata block), adds a stub for every undocumented parameter and a skeleton
    for every undocumented cmdlet, and converts nothing.

    Dot-sourcing the script (`. ./tools/Build-Help.ps1`) or loading it with New-Module only defines its
    functions; tests/Pester/Help.Tests.ps1 uses them to read the markdown the way the converter does.
.EXAMPLE
    dotnet pwsh ./tools/Build-Help.ps1 -DocsPath docs/en-US -ModulePath out/Kernel/Kernel.psd1 -OutputPath out/Kernel/en-US
.EXAMPLE
    dotnet pwsh ./tools/Build-Help.ps1 -DocsPath docs/en-US -ModulePath out/Kernel/Kernel.psd1 -UpdateMarkdown
#>
[CmdletBinding(DefaultParameterSetName = 'Convert')]
param(
    # The folder of the markdown help: <Cmdlet-Name>.md and about_*.md.
    [Parameter(ParameterSetName = 'Convert')]
    [Parameter(ParameterSetName = 'Update')]
    [string] $DocsPath,

    # The staged module's manifest.
    [Parameter(ParameterSetName = 'Convert')]
    [Parameter(ParameterSetName = 'Update')]
    [Parameter(ParameterSetName = 'Metadata')]
    [string] $ModulePath,

    # Where the help files go: the module's en-US folder.
    [Parameter(ParameterSetName = 'Convert')]
    [string] $OutputPath,

    # Regenerate SYNTAX and parameter metadata in the markdown; add stubs for what is undocumented.
    [Parameter(Mandatory, ParameterSetName = 'Update')]
    [switch] $UpdateMarkdown,

    # Read the module's commands by importing it in a child pwsh instead of in an isolated load context.
    [Parameter(ParameterSetName = 'Convert')]
    [Parameter(ParameterSetName = 'Update')]
    [switch] $ChildProcess,

    # Internal: print the module's command metadata as JSON (what the child process does).
    [Parameter(Mandatory, ParameterSetName = 'Metadata')]
    [switch] $EmitMetadata
)

$script:CmdletSections = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$script:MetadataKeys = @('Type', 'Parameter Sets', 'Aliases', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters')
$script:Placeholder = '{{'

#region Command metadata (from the module, never from the markdown)

function Get-CommandHelpMetadata {
    <#
    .SYNOPSIS
        What help needs to know about each cmdlet, as plain data (JSON-safe): of an imported module's exported
        cmdlets (-Module), or of CmdletInfo objects (-Command) whose help file is -HelpFile.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Module')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Module')] [System.Management.Automation.PSModuleInfo] $Module,
        [Parameter(Mandatory, ParameterSetName = 'Command')] [System.Management.Automation.CmdletInfo[]] $Command,
        [Parameter(ParameterSetName = 'Command')] [string] $HelpFile
    )

    $common = [System.Management.Automation.PSCmdlet]::CommonParameters
    $commands = if ($Module) { $Module.ExportedCmdlets.Values } else { $Command }
    foreach ($command in $commands | Sort-Object Name) {
        $instance = $null
        try { $instance = [Activator]::CreateInstance($command.ImplementingType) } catch { $instance = $null }
        $sets = @($command.ParameterSets)
        $onlySet = $sets.Count -eq 1
        # Set name -> (parameter name -> its metadata in that set).
        $bySet = [ordered]@{}
        foreach ($set in $sets) {
            $lookup = @{}
            foreach ($p in $set.Parameters) { $lookup[$p.Name] = $p }
            $bySet[$set.Name] = $lookup
        }
        $parameters = foreach ($parameter in $command.Parameters.Values) {
            if ($parameter.Name -in $common) { continue }
            $type = $parameter.ParameterType
            $element = [Nullable]::GetUnderlyingType($type) ?? $type
            $inSets = foreach ($set in $sets) { if ($bySet[$set.Name].ContainsKey($parameter.Name)) { $set } }
            $inSets = @($inSets)
            $perSet = foreach ($set in $inSets) {
                $p = $bySet[$set.Name][$parameter.Name]
                [pscustomobject]@{
                    Set            = $set.Name
                    Required       = [bool]$p.IsMandatory
                    Position       = if ($p.Position -lt 0) { 'Named' } else { [string]$p.Position }
                    ByValue        = [bool]$p.ValueFromPipeline
                    ByPropertyName = [bool]$p.ValueFromPipelineByPropertyName
                }
            }
            $globbing = $false
            $validValues = foreach ($attribute in $parameter.Attributes) {
                if ($attribute -is [System.Management.Automation.SupportsWildcardsAttribute]) { $globbing = $true }
                elseif ($attribute -is [System.Management.Automation.ValidateSetAttribute]) { $attribute.ValidValues }
            }
            $allSets = $onlySet -or ($parameter.ParameterSets.Keys -contains '__AllParameterSets') -or ($inSets.Count -eq $sets.Count)
            [pscustomobject]@{
                Name          = $parameter.Name
                TypeName      = Format-TypeName $element
                TypeFullName  = $element.FullName
                IsSwitch      = $element -eq [System.Management.Automation.SwitchParameter]
                IsArray       = $element.IsArray
                Aliases       = @($parameter.Aliases)
                Globbing      = [bool]$globbing
                AllSets       = $allSets
                PerSet        = @($perSet)
                ValidValues   = @($validValues)
                CodeDefault   = Get-CodeDefault $instance $command.ImplementingType $parameter.Name
            }
        }
        $outputs = @(foreach ($output in $command.OutputType) {
                $outputName = if ($output.Type) { $output.Type.FullName } else { $output.Name }
                if ($outputName -and $outputName -ne 'System.Void') { $outputName }
            })
        [pscustomobject]@{
            Name                = $command.Name
            Verb                = $command.Verb
            Noun                = $command.Noun
            HelpFile            = if ($HelpFile) { $HelpFile } else { $command.HelpFile }
            DefaultParameterSet = $command.DefaultParameterSet
            ParameterSets       = @($sets | ForEach-Object {
                    [pscustomobject]@{
                        Name      = $_.Name
                        IsDefault = [bool]$_.IsDefault
                        Syntax    = "$($command.Name) $_"
                        Order     = @(Get-SyntaxOrder $_ $common)
                    }
                })
            Parameters          = @($parameters)
            OutputTypes         = $outputs
        }
    }
}

function Format-TypeName {
    param([type] $Type)
    if ($Type.IsArray) { return (Format-TypeName $Type.GetElementType()) + '[]' }
    if ($Type.IsGenericType) {
        $name = $Type.Name.Substring(0, $Type.Name.IndexOf('`'))
        return $name + '[' + (($Type.GetGenericArguments() | ForEach-Object { Format-TypeName $_ }) -join ', ') + ']'
    }
    $Type.Name
}

function Get-SyntaxOrder {
    <# .SYNOPSIS Parameter names of a set in syntax order: positional by position, then the rest as declared. #>
    param($Set, [string[]] $Common)
    $own = @($Set.Parameters).Where({ $_.Name -notin $Common })
    $positional = [System.Collections.Generic.List[object]]::new()
    foreach ($p in $own) { if ($p.Position -ge 0) { $positional.Add($p) } }
    $positional.Sort([System.Comparison[object]] { param($a, $b) $a.Position.CompareTo($b.Position) })
    $named = @($own.Where({ $_.Position -lt 0 }))
    foreach ($p in @($positional) + @($named)) { $p.Name }
}

function Get-CodeDefault {
    <#
    .SYNOPSIS
        The value a parameter has when it is not given, read from a fresh instance of the cmdlet class, as text;
        $null when there is none worth stating (null, an empty collection) or no such property (WhatIf, -First).
    #>
    param($Instance, [type] $Type, [string] $Name)
    if ($null -eq $Instance) { return $null }
    $property = $Type.GetProperty($Name)
    if (-not $property) { return $null }
    try { $value = $property.GetValue($Instance) } catch { return $null }
    if ($null -eq $value) { return $null }
    if ($value -is [System.Management.Automation.SwitchParameter]) { return [string]$value.IsPresent }
    if ($value -is [System.Collections.IDictionary]) { if ($value.Count -eq 0) { return $null }; return ($value | Out-String).Trim() }
    if ($value -is [array]) { if ($value.Count -eq 0) { return $null }; return ($value -join ', ') }
    if ($value -is [timespan]) { return $value.ToString('c', [cultureinfo]::InvariantCulture) }
    if ($value -is [System.IFormattable]) { return $value.ToString($null, [cultureinfo]::InvariantCulture) }
    [string]$value
}

function Read-ModuleHelpMetadata {
    <#
    .SYNOPSIS
        The command metadata of a binary module, read without importing it: the manifest's RootModule is loaded
        from its bytes into a collectible AssemblyLoadContext of its own (so the file is never locked and a copy
        of the module already loaded in this process cannot answer for it), and PowerShell's own CmdletInfo
        describes each cmdlet the manifest exports. Returns $null when the module is not a binary one.
    #>
    param([Parameter(Mandatory)] [string] $ManifestPath)
    if (-not (Test-Path -LiteralPath $ManifestPath -PathType Leaf)) { throw "There is no module manifest at '$ManifestPath'; stage the module first (./build.ps1 Build)." }
    $manifest = Import-PowerShellDataFile -LiteralPath $ManifestPath
    $folder = Split-Path -Parent $ManifestPath
    $root = if ($manifest.RootModule) { $manifest.RootModule } else { $manifest.ModuleToProcess }
    if (-not $root -or [IO.Path]::GetExtension($root) -ne '.dll' -or $manifest.NestedModules) { return $null }
    $dll = Join-Path $folder $root
    $context = [System.Runtime.Loader.AssemblyLoadContext]::new('KernelHelpMetadata', $true)
    $context.add_Resolving({
            param($loadContext, $name)
            $candidate = Join-Path $folder "$($name.Name).dll"
            if (Test-Path -LiteralPath $candidate) { $loadContext.LoadFromStream([IO.MemoryStream]::new([IO.File]::ReadAllBytes($candidate))) }
        }.GetNewClosure())
    try {
        $assembly = $context.LoadFromStream([IO.MemoryStream]::new([IO.File]::ReadAllBytes($dll)))
        $exported = @($manifest.CmdletsToExport)
        $all = -not $exported.Count -or $exported -contains '*'
        $cmdlets = foreach ($type in $assembly.GetExportedTypes()) {
            if ($type.IsAbstract -or -not $type.IsSubclassOf([System.Management.Automation.Cmdlet])) { continue }
            $attribute = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)
            if (-not $attribute) { continue }
            $name = "$($attribute[0].VerbName)-$($attribute[0].NounName)"
            if ($all -or $exported -contains $name) { [System.Management.Automation.CmdletInfo]::new($name, $type) }
        }
        # As PowerShell names it for a binary module: <assembly file name>-Help.xml.
        @(Get-CommandHelpMetadata -Command @($cmdlets) -HelpFile "$([IO.Path]::GetFileName($dll))-Help.xml")
    }
    finally {
        $context.Unload()
    }
}

function Start-ModuleHelpMetadata {
    <#
    .SYNOPSIS
        Starts a child pwsh (-NoProfile -NonInteractive) that imports the staged module and prints its command
        metadata; Receive-ModuleHelpMetadata collects it. The module never loads into this process.
    #>
    param([Parameter(Mandatory)] [string] $ManifestPath)
    if (-not (Test-Path -LiteralPath $ManifestPath -PathType Leaf)) { throw "There is no module manifest at '$ManifestPath'; stage the module first (./build.ps1 Build)." }
    $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
        # `dotnet pwsh` (a local tool): the host is dotnet, PowerShell is the pwsh.dll it was given.
        $start.ArgumentList.Add([Environment]::GetCommandLineArgs()[0])
    }
    foreach ($argument in '-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-ModulePath', $ManifestPath, '-EmitMetadata') { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['NO_COLOR'] = '1'
    $process = [System.Diagnostics.Process]::Start($start)
    [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync(); Path = $ManifestPath }
}

function Receive-ModuleHelpMetadata {
    param([Parameter(Mandatory)] $Job, [timespan] $Timeout = [timespan]::FromSeconds(60))
    if (-not $Job.Process.WaitForExit([int]$Timeout.TotalMilliseconds)) {
        $Job.Process.Kill()
        throw "Reading the commands of '$($Job.Path)' took longer than $($Timeout.TotalSeconds) s."
    }
    $Job.Process.WaitForExit()
    $text = $Job.Output.GetAwaiter().GetResult()
    $errors = $Job.Errors.GetAwaiter().GetResult().Trim()
    if ($Job.Process.ExitCode -ne 0) { throw "Could not read the commands of '$($Job.Path)' (child pwsh exit code $($Job.Process.ExitCode)): $errors" }
    $begin = $text.IndexOf('[')
    if ($begin -lt 0) { throw "The child pwsh printed no command metadata for '$($Job.Path)': $text $errors" }
    @($text.Substring($begin) | ConvertFrom-Json -NoEnumerate)[0]
}

function Get-ModuleHelpMetadata {
    <# .SYNOPSIS The staged module's command metadata, read in a child pwsh. #>
    param([Parameter(Mandatory)] [string] $ManifestPath)
    Receive-ModuleHelpMetadata (Start-ModuleHelpMetadata $ManifestPath)
}

#endregion

#region Reading markdown

function Select-Property {
    <# .SYNOPSIS The values of one property of each item; nothing (not $null) for no items. #>
    param([object[]] $Items, [string] $Name)
    foreach ($item in $Items) { if ($null -ne $item) { $item.$Name } }
}

function Get-FirstText {
    <# .SYNOPSIS The first line with text in a list of lines, or $null. #>
    param([object[]] $Lines)
    foreach ($line in $Lines) { if ($line.Text.Trim()) { return $line } }
}

function New-DocProblem {
    param([string] $Path, [int] $Line, [string] $Message)
    '{0}:{1}: {2}' -f $Path, $Line, $Message
}

function Read-ProseBlocks {
    <#
    .SYNOPSIS
        Markdown prose to blocks: Para (soft-wrapped lines joined), Bullet (- or 1.), Table (rows of cells) and
        Code (only where -AllowCode). Problems go to $Problems as "file:line: message".
    #>
    param([object[]] $Lines, [string] $Path, [System.Collections.Generic.List[string]] $Problems, [switch] $AllowCode)

    $blocks = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $i = 0
    while ($i -lt $Lines.Count) {
        $line = $Lines[$i]
        $text = $line.Text
        $trimmed = $text.Trim()
        if ($trimmed.StartsWith('```')) {
            $current = $null
            $fence = Read-Fence $Lines $i $Path $Problems
            if (-not $AllowCode) {
                $Problems.Add((New-DocProblem $Path $line.Number 'a code block is only allowed in SYNTAX, as an example''s code and as a parameter''s yaml metadata (or in an about topic)'))
            }
            else {
                $blocks.Add([pscustomobject]@{ Kind = 'Code'; Lines = $fence.Lines; Language = $fence.Language })
            }
            $i = $fence.Next
            continue
        }
        if ($trimmed.Length -eq 0) {
            $current = $null
        }
        elseif ($trimmed.StartsWith('#')) {
            $Problems.Add((New-DocProblem $Path $line.Number "unexpected heading '$trimmed' here"))
            $current = $null
        }
        elseif ($trimmed.StartsWith('|')) {
            if (-not ($current -and $current.Kind -eq 'Table')) {
                $current = [pscustomobject]@{ Kind = 'Table'; Rows = [System.Collections.Generic.List[object]]::new(); Line = $line.Number }
                $blocks.Add($current)
            }
            $cells = @(Split-TableRow $trimmed)
            if (-not @($cells).Where({ $_ -notmatch '^:?-{3,}:?$' }).Count) {
                # The |---|---| line under the header.
            }
            else {
                $current.Rows.Add($cells)
            }
        }
        elseif ($trimmed -match '^([-*]|\d+\.)\s+(.*)$') {
            $current = [pscustomobject]@{ Kind = 'Bullet'; Marker = ($Matches[1] -replace '^\*$', '-'); Text = $Matches[2].Trim() }
            $blocks.Add($current)
        }
        elseif ($current -and $current.Kind -in 'Para', 'Bullet') {
            $current.Text += ' ' + $trimmed
        }
        else {
            if ($current -and $current.Kind -eq 'Table') {
                $Problems.Add((New-DocProblem $Path $line.Number 'a table must be followed by a blank line'))
            }
            $current = [pscustomobject]@{ Kind = 'Para'; Text = $trimmed }
            $blocks.Add($current)
        }
        $i++
    }
    foreach ($table in $blocks.Where({ $_.Kind -eq 'Table' })) {
        $widths = [System.Collections.Generic.HashSet[int]]::new()
        foreach ($row in $table.Rows) { [void]$widths.Add($row.Count) }
        if ($widths.Count -ne 1) { $Problems.Add((New-DocProblem $Path $table.Line 'the rows of this table have different numbers of cells')) }
    }
    $blocks.ToArray()
}

function Split-TableRow {
    param([string] $Row)
    $inner = $Row.Trim()
    if ($inner.StartsWith('|')) { $inner = $inner.Substring(1) }
    if ($inner.EndsWith('|') -and -not $inner.EndsWith('\|')) { $inner = $inner.Substring(0, $inner.Length - 1) }
    foreach ($cell in $inner -split '(?<!\\)\|') { $cell.Trim().Replace('\|', '|') }
}

function Read-Fence {
    <# .SYNOPSIS The fenced block opening at $Lines[$Start]: its language, lines and the index after it. #>
    param([object[]] $Lines, [int] $Start, [string] $Path, [System.Collections.Generic.List[string]] $Problems)
    $open = $Lines[$Start]
    $language = $open.Text.Trim().Substring(3).Trim()
    $indent = $open.Text.Length - $open.Text.TrimStart().Length
    $body = [System.Collections.Generic.List[string]]::new()
    for ($j = $Start + 1; $j -lt $Lines.Count; $j++) {
        if ($Lines[$j].Text.Trim() -eq '```') {
            return [pscustomobject]@{ Language = $language; Lines = $body.ToArray(); Next = $j + 1; Line = $open.Number }
        }
        $t = $Lines[$j].Text
        $body.Add($(if ($indent -gt 0 -and $t.Length -ge $indent -and $t.Substring(0, $indent).Trim().Length -eq 0) { $t.Substring($indent) } else { $t }))
    }
    $Problems.Add((New-DocProblem $Path $open.Number 'this code block is never closed (no ``` line)'))
    [pscustomobject]@{ Language = $language; Lines = $body.ToArray(); Next = $Lines.Count; Line = $open.Number }
}

function Split-Headings {
    <#
    .SYNOPSIS
        Splits lines at headings of one level ('##' or '###'), skipping fenced code. Returns the lines before the
        first heading (.Preamble) and each heading with its title, line number and lines.
    #>
    param([object[]] $Lines, [int] $Level)
    $marker = ('#' * $Level) + ' '
    $preamble = [System.Collections.Generic.List[object]]::new()
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line.Text.Trim().StartsWith('```')) { $inFence = -not $inFence }
        if (-not $inFence -and $line.Text.StartsWith($marker)) {
            $current = [pscustomobject]@{ Title = $line.Text.Substring($marker.Length).Trim(); Number = $line.Number; Lines = [System.Collections.Generic.List[object]]::new() }
            $sections.Add($current)
            continue
        }
        if ($current) { $current.Lines.Add($line) } else { $preamble.Add($line) }
    }
    [pscustomobject]@{ Preamble = $preamble.ToArray(); Sections = $sections.ToArray() }
}

function Get-NumberedLines {
    param([string] $Path)
    $raw = [IO.File]::ReadAllText($Path)
    $texts = $raw.Replace("`r`n", "`n").Split("`n")
    $lines = for ($n = 0; $n -lt $texts.Count; $n++) { [pscustomobject]@{ Number = $n + 1; Text = $texts[$n].TrimEnd() } }
    # Front matter (platyPS writes some) is allowed and ignored.
    if ($lines.Count -gt 0 -and $lines[0].Text -eq '---') {
        $end = 1
        while ($end -lt $lines.Count -and $lines[$end].Text -ne '---') { $end++ }
        $lines = if ($end + 1 -lt $lines.Count) { @($lines[($end + 1)..($lines.Count - 1)]) } else { @() }
    }
    , @($lines)
}

function Read-CmdletMarkdown {
    <#
    .SYNOPSIS
        Reads one cmdlet's markdown help (docs/README.md) into a model. Structural problems are added to
        $Problems; the model is as complete as the text allows.
    #>
    param([Parameter(Mandatory)] [string] $Path, [System.Collections.Generic.List[string]] $Problems = [System.Collections.Generic.List[string]]::new())

    $name = [IO.Path]::GetFileNameWithoutExtension($Path)
    $lines = Get-NumberedLines $Path
    $doc = [pscustomobject]@{
        Name = $name; Path = $Path; Title = $null; Sections = @{}
        Synopsis = @(); Description = @(); Examples = @(); Parameters = @(); Inputs = @(); Outputs = @(); Notes = @(); Links = @()
        SyntaxRange = $null; ParametersRange = $null; LineCount = $lines.Count
    }

    # A fence left open swallows the sections after it; say where it opened rather than what it swallowed.
    $fences = [regex]::Matches([IO.File]::ReadAllText($Path), '(?m)^[ \t]*```').Count
    $openedAt = $null
    if ($fences % 2) { foreach ($line in $lines) {
        if ($line.Text.Trim().StartsWith('```')) { $openedAt = if ($openedAt) { $null } else { $line.Number } }
        elseif ($openedAt -and $line.Text -match '^## ([A-Z ]+)$' -and $Matches[1] -in $script:CmdletSections) {
            $Problems.Add((New-DocProblem $Path $openedAt "the code block opened here is not closed before '$($line.Text)' (line $($line.Number))"))
            return $doc
        }
    } }

    $top = Split-Headings $lines 1
    $first = (Get-FirstText $top.Preamble)
    if ($first) { $Problems.Add((New-DocProblem $Path $first.Number "text before the '# $name' title")) }
    if ($top.Sections.Count -ne 1) {
        $Problems.Add((New-DocProblem $Path 1 "expected exactly one '# $name' title, found $($top.Sections.Count)"))
        if ($top.Sections.Count -eq 0) { return $doc }
    }
    $doc.Title = $top.Sections[0].Title
    if ($doc.Title -cne $name) { $Problems.Add((New-DocProblem $Path $top.Sections[0].Number "the title '# $($doc.Title)' does not match the file name ($name.md)")) }

    $body = Split-Headings $top.Sections[0].Lines 2
    $stray = (Get-FirstText $body.Preamble)
    if ($stray) { $Problems.Add((New-DocProblem $Path $stray.Number 'text between the title and the first ## section')) }

    $lastIndex = -1
    foreach ($section in $body.Sections) {
        $key = $section.Title.ToUpperInvariant()
        $index = [array]::IndexOf($script:CmdletSections, $key)
        if ($index -lt 0) {
            $Problems.Add((New-DocProblem $Path $section.Number "unknown section '## $($section.Title)'; sections are $($script:CmdletSections -join ', ')"))
            continue
        }
        if ($section.Title -cne $key) { $Problems.Add((New-DocProblem $Path $section.Number "write the section heading in capitals: '## $key'")) }
        if ($doc.Sections.ContainsKey($key)) { $Problems.Add((New-DocProblem $Path $section.Number "a second '## $key' section")); continue }
        if ($index -lt $lastIndex) { $Problems.Add((New-DocProblem $Path $section.Number "'## $key' is out of order; sections go $($script:CmdletSections -join ', ')")) }
        $lastIndex = [Math]::Max($lastIndex, $index)
        $doc.Sections[$key] = $section
        $sectionLines = $section.Lines.ToArray()
        $range = [pscustomobject]@{ Start = $section.Number; End = if ($sectionLines.Count) { $sectionLines[-1].Number } else { $section.Number } }

        switch ($key) {
            'SYNOPSIS' { $doc.Synopsis = Read-ProseBlocks $sectionLines $Path $Problems }
            'DESCRIPTION' { $doc.Description = Read-ProseBlocks $sectionLines $Path $Problems }
            'NOTES' { $doc.Notes = Read-ProseBlocks $sectionLines $Path $Problems }
            'SYNTAX' {
                $doc.SyntaxRange = $range
                $inFence = $false
                foreach ($l in $sectionLines) {
                    if ($l.Text.Trim().StartsWith('```')) { $open = $l; $inFence = -not $inFence }
                }
                if ($inFence) { $Problems.Add((New-DocProblem $Path $open.Number 'this code block is never closed (no ``` line)')) }
            }
            'EXAMPLES' { $doc.Examples = @(Read-Examples $sectionLines $Path $Problems) }
            'PARAMETERS' {
                $doc.ParametersRange = $range
                $doc.Parameters = @(Read-Parameters $sectionLines $Path $Problems)
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                $items = Split-Headings $sectionLines 3
                $stray = (Get-FirstText $items.Preamble)
                if ($stray) { $Problems.Add((New-DocProblem $Path $stray.Number "text under '## $key' must be under a '### <type name>' heading (### None when there is none)")) }
                $list = foreach ($item in $items.Sections) {
                    [pscustomobject]@{ Type = $item.Title; Description = Read-ProseBlocks $item.Lines.ToArray() $Path $Problems; Line = $item.Number }
                }
                if ($key -eq 'INPUTS') { $doc.Inputs = @($list) } else { $doc.Outputs = @($list) }
            }
            'RELATED LINKS' {
                $doc.Links = @(foreach ($block in Read-ProseBlocks $sectionLines $Path $Problems) {
                        if ($block.Kind -notin 'Bullet', 'Para') { $Problems.Add((New-DocProblem $Path $section.Number 'RELATED LINKS takes one link per line: - [Text](uri)')); continue }
                        if ($block.Text -match '^\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)$') {
                            [pscustomobject]@{ Text = $Matches.text; Uri = if ($Matches.uri -match '^https?://') { $Matches.uri } else { '' } }
                        }
                        else { [pscustomobject]@{ Text = $block.Text; Uri = '' } }
                    })
            }
        }
    }
    $doc
}

function Read-Examples {
    param([object[]] $Lines, [string] $Path, [System.Collections.Generic.List[string]] $Problems)
    $split = Split-Headings $Lines 3
    $stray = (Get-FirstText $split.Preamble)
    if ($stray) { $Problems.Add((New-DocProblem $Path $stray.Number "text under '## EXAMPLES' must be under a '### Example N: title' heading")) }
    $number = 0
    foreach ($section in $split.Sections) {
        $number++
        $heading = [regex]::Match($section.Title, '^Example (?<n>\d+)(: (?<title>\S.*))?$')
        $title = $null
        if (-not $heading.Success) {
            $Problems.Add((New-DocProblem $Path $section.Number "an example heading reads '### Example $($number): <what it shows>', not '### $($section.Title)'"))
        }
        else {
            if ([int]$heading.Groups['n'].Value -ne $number) {
                $Problems.Add((New-DocProblem $Path $section.Number "example headings are numbered 1, 2, 3...; expected Example $number"))
            }
            if ($heading.Groups['title'].Success) { $title = $heading.Groups['title'].Value }
        }
        $lines = $section.Lines.ToArray()
        $fences = @()
        $remarks = [System.Collections.Generic.List[object]]::new()
        $i = 0
        $beforeCode = $true
        while ($i -lt $lines.Count) {
            if ($lines[$i].Text.Trim().StartsWith('```')) {
                $fence = Read-Fence $lines $i $Path $Problems
                $fences += $fence
                $i = $fence.Next
                $beforeCode = $false
                continue
            }
            if ($beforeCode -and $lines[$i].Text.Trim()) {
                $Problems.Add((New-DocProblem $Path $lines[$i].Number 'an example starts with its ```powershell code block; the explanation goes after it'))
                $beforeCode = $false
            }
            $remarks.Add($lines[$i])
            $i++
        }
        if ($fences.Count -eq 0) {
            $Problems.Add((New-DocProblem $Path $section.Number "Example $number has no ``````powershell code block"))
        }
        elseif ($fences.Count -gt 1) {
            $Problems.Add((New-DocProblem $Path $fences[1].Line "Example $number has more than one code block; put one example per heading"))
        }
        elseif ($fences[0].Language -notin 'powershell', 'pwsh', 'ps1') {
            $Problems.Add((New-DocProblem $Path $fences[0].Line "an example's code block is ``````powershell, not ``````$($fences[0].Language)"))
        }
        [pscustomobject]@{
            Number  = $number
            Title   = $title
            Heading = $section.Title
            Code    = if ($fences.Count) { ($fences[0].Lines -join "`n").Trim("`n") } else { '' }
            Remarks = Read-ProseBlocks $remarks.ToArray() $Path $Problems
            Line    = $section.Number
        }
    }
}

function Read-Parameters {
    param([object[]] $Lines, [string] $Path, [System.Collections.Generic.List[string]] $Problems)
    $split = Split-Headings $Lines 3
    $stray = (Get-FirstText $split.Preamble)
    if ($stray) { $Problems.Add((New-DocProblem $Path $stray.Number "text under '## PARAMETERS' must be under a '### -Name' heading")) }
    $seen = @{}
    foreach ($section in $split.Sections) {
        if ($section.Title -eq 'CommonParameters') { continue }
        if ($section.Title -notmatch '^-(?<name>[A-Za-z][A-Za-z0-9_]*)$') {
            $Problems.Add((New-DocProblem $Path $section.Number "a parameter heading reads '### -Name', not '### $($section.Title)'"))
            continue
        }
        $name = $Matches.name
        if ($seen.ContainsKey($name)) { $Problems.Add((New-DocProblem $Path $section.Number "-$name is documented twice")); continue }
        $seen[$name] = $true

        $lines = $section.Lines.ToArray()
        $prose = [System.Collections.Generic.List[object]]::new()
        $metadata = $null
        $metadataRange = $null
        $i = 0
        while ($i -lt $lines.Count) {
            if ($lines[$i].Text.Trim().StartsWith('```')) {
                $fence = Read-Fence $lines $i $Path $Problems
                if ($fence.Language -ne 'yaml') {
                    $Problems.Add((New-DocProblem $Path $fence.Line "the only code block of a parameter is its ``````yaml metadata"))
                }
                elseif ($metadata) {
                    $Problems.Add((New-DocProblem $Path $fence.Line "-$name has a second metadata block"))
                }
                else {
                    $metadata = [ordered]@{}
                    $offset = 0
                    foreach ($entry in $fence.Lines) {
                        $offset++
                        if (-not $entry.Trim()) { continue }
                        if ($entry -notmatch '^(?<key>[A-Za-z][A-Za-z ]*):(?<value>.*)$' -or $Matches.key -notin $script:MetadataKeys) {
                            $Problems.Add((New-DocProblem $Path ($fence.Line + $offset) "not a metadata line ('Key: value' with a key of $($script:MetadataKeys -join ', ')): '$entry'"))
                            continue
                        }
                        if ($metadata.Contains($Matches.key)) { $Problems.Add((New-DocProblem $Path ($fence.Line + $offset) "'$($Matches.key)' is given twice")) }
                        $metadata[$Matches.key] = $Matches.value.Trim()
                    }
                    $metadataRange = [pscustomobject]@{ Start = $fence.Line; End = $lines[$fence.Next - 1].Number }
                }
                $i = $fence.Next
                continue
            }
            if ($metadata -and $lines[$i].Text.Trim()) {
                $Problems.Add((New-DocProblem $Path $lines[$i].Number "the description of -$name goes before its metadata block"))
            }
            $prose.Add($lines[$i])
            $i++
        }
        [pscustomobject]@{
            Name          = $name
            Description   = Read-ProseBlocks $prose.ToArray() $Path $Problems
            Metadata      = $metadata
            MetadataRange = $metadataRange
            Line          = $section.Number
            End           = if ($lines.Count) { $lines[-1].Number } else { $section.Number }
        }
    }
}

function Read-AboutMarkdown {
    <#
    .SYNOPSIS
        Reads an about topic: '# about_Name', then '##' sections (SHORT DESCRIPTION first) with prose, '###'
        subheadings, lists, tables and code blocks.
    #>
    param([Parameter(Mandatory)] [string] $Path, [System.Collections.Generic.List[string]] $Problems = [System.Collections.Generic.List[string]]::new())
    $name = [IO.Path]::GetFileNameWithoutExtension($Path)
    $lines = Get-NumberedLines $Path
    $top = Split-Headings $lines 1
    $first = (Get-FirstText $top.Preamble)
    if ($first) { $Problems.Add((New-DocProblem $Path $first.Number "text before the '# $name' title")) }
    if ($top.Sections.Count -ne 1 -or $top.Sections[0].Title -cne $name) {
        $Problems.Add((New-DocProblem $Path 1 "an about topic starts with one '# $name' title"))
        if ($top.Sections.Count -eq 0) { return [pscustomobject]@{ Name = $name; Path = $Path; Sections = @() } }
    }
    $body = Split-Headings $top.Sections[0].Lines 2
    $stray = (Get-FirstText $body.Preamble)
    if ($stray) { $Problems.Add((New-DocProblem $Path $stray.Number 'text between the title and the first ## section')) }
    $sections = foreach ($section in $body.Sections) {
        $sub = Split-Headings $section.Lines.ToArray() 3
        [pscustomobject]@{
            Title       = $section.Title
            Blocks      = Read-ProseBlocks $sub.Preamble $Path $Problems -AllowCode
            Subsections = @(foreach ($s in $sub.Sections) { [pscustomobject]@{ Title = $s.Title; Blocks = Read-ProseBlocks $s.Lines.ToArray() $Path $Problems -AllowCode } })
            Line        = $section.Number
        }
    }
    $sections = @($sections)
    if (-not $sections -or $sections[0].Title -ne 'SHORT DESCRIPTION') {
        $Problems.Add((New-DocProblem $Path 1 "an about topic's first section is '## SHORT DESCRIPTION'"))
    }
    foreach ($s in $sections) {
        if ($s.Title -cne $s.Title.ToUpperInvariant()) { $Problems.Add((New-DocProblem $Path $s.Line "write the section heading in capitals: '## $($s.Title.ToUpperInvariant())'")) }
    }
    [pscustomobject]@{ Name = $name; Path = $Path; Sections = $sections }
}

#endregion

#region What the markdown should say about the code

function Format-ParameterMetadata {
    <#
    .SYNOPSIS
        The metadata block of a parameter as the code defines it, keyed like the markdown's yaml block.
        'Default value' is the one value the code cannot describe in words: it is kept from the markdown
        ($DefaultValue), and checked against the code's default where there is one (Test-CmdletDoc).
    #>
    param([Parameter(Mandatory)] $Parameter, [string] $DefaultValue)
    $sets = [System.Collections.Generic.List[string]]::new()
    $required = [System.Collections.Generic.List[string]]::new()
    $position = [System.Collections.Generic.List[string]]::new()
    $pipeline = [System.Collections.Generic.List[string]]::new()
    foreach ($perSet in $Parameter.PerSet) {
        $sets.Add($perSet.Set)
        $required.Add($(if ($perSet.Required) { 'True' } else { 'False' }))
        $position.Add([string]$perSet.Position)
        $pipeline.Add((Format-PipelineInput $perSet))
    }
    $default = if ($DefaultValue) { $DefaultValue } elseif ($Parameter.IsSwitch) { 'False' } elseif ($null -ne $Parameter.CodeDefault) { $Parameter.CodeDefault } else { 'None' }
    [ordered]@{
        'Type'                       = $Parameter.TypeName
        'Parameter Sets'             = if ($Parameter.AllSets) { '(All)' } else { $sets -join ', ' }
        'Aliases'                    = ($Parameter.Aliases -join ', ')
        'Required'                   = Join-PerSet $sets $required
        'Position'                   = Join-PerSet $sets $position
        'Default value'              = $default
        'Accept pipeline input'      = Join-PerSet $sets $pipeline
        'Accept wildcard characters' = if ($Parameter.Globbing) { 'True' } else { 'False' }
    }
}

function Join-PerSet {
    <# .SYNOPSIS One value when every set agrees, else "value (set), value (set)". #>
    param([System.Collections.Generic.List[string]] $Sets, [System.Collections.Generic.List[string]] $Values)
    $distinct = [System.Collections.Generic.HashSet[string]]::new($Values)
    if ($distinct.Count -le 1) { return $(if ($Values.Count) { $Values[0] } else { '' }) }
    $parts = for ($i = 0; $i -lt $Values.Count; $i++) { "$($Values[$i]) ($($Sets[$i]))" }
    $parts -join ', '
}

function Format-PipelineInput {
    param($PerSet)
    $how = @(if ($PerSet.ByValue) { 'ByValue' }; if ($PerSet.ByPropertyName) { 'ByPropertyName' })
    if ($how.Count) { "True ($($how -join ', '))" } else { 'False' }
}

function Test-CmdletDoc {
    <#
    .SYNOPSIS
        What is incomplete or out of date in one cmdlet's markdown, measured against the code: one object per
        problem with a Kind (MissingParameter, StaleParameter, Metadata, Default, Syntax, Synopsis, Description,
        Examples, Inputs, Outputs, Placeholder) and a Message.
    #>
    param([Parameter(Mandatory)] $Doc, [Parameter(Mandatory)] $Command)
    function Problem([string] $Kind, [string] $Message) { [pscustomobject]@{ Cmdlet = $Command.Name; Kind = $Kind; Message = "$($Command.Name): $Message" } }

    $documented = @(Select-Property $Doc.Parameters Name)
    $real = @(Select-Property $Command.Parameters Name)
    foreach ($name in $real) { if ($name -notin $documented) { Problem MissingParameter "-$name has no '### -$name' section in $($Doc.Path)" } }
    foreach ($name in $documented) { if ($name -notin $real) { Problem StaleParameter "-$name is documented in $($Doc.Path) but the cmdlet has no such parameter" } }

    foreach ($p in $Doc.Parameters) {
        if ($p.Name -notin $real) { continue }
        $meta = @($Command.Parameters).Where({ $_.Name -eq $p.Name }, 'First')[0]
        if (-not (Test-HasText $p.Description)) { Problem ParameterDescription "-$($p.Name) has no description" }
        if (-not $p.Metadata) { Problem Metadata "-$($p.Name) has no ``````yaml metadata block (run tools/Build-Help.ps1 -UpdateMarkdown)"; continue }
        $expected = Format-ParameterMetadata $meta $p.Metadata['Default value']
        foreach ($key in $expected.Keys) {
            $actual = if ($p.Metadata.Contains($key)) { $p.Metadata[$key] } else { '<missing>' }
            if ($actual -cne $expected[$key]) { Problem Metadata "-$($p.Name) metadata '$key' reads '$actual'; the code says '$($expected[$key])' (run tools/Build-Help.ps1 -UpdateMarkdown)" }
        }
        $default = $p.Metadata['Default value']
        if ($meta.IsSwitch -and $default -ne 'False') { Problem Default "-$($p.Name) is a switch: its default value is False, not '$default'" }
        elseif ($null -ne $meta.CodeDefault -and -not $meta.IsSwitch -and "$default".IndexOf($meta.CodeDefault, [StringComparison]::Ordinal) -lt 0) {
            Problem Default "-$($p.Name) defaults to '$($meta.CodeDefault)' in the code, but its 'Default value' reads '$default'"
        }
    }

    $syntax = Get-SyntaxMarkdown $Command
    $section = $Doc.Sections['SYNTAX']
    $written = if ($section) { ($section.Lines.Text -join "`n").Trim() } else { '' }
    if ($written -cne ($syntax -join "`n").Trim()) { Problem Syntax "the SYNTAX section is not what the code says (run tools/Build-Help.ps1 -UpdateMarkdown)" }

    if (-not (Test-HasText $Doc.Synopsis)) { Problem Synopsis 'no SYNOPSIS' }
    if (-not (Test-HasText $Doc.Description)) { Problem Description 'no DESCRIPTION' }
    $withCode = @(@($Doc.Examples).Where({ $_.Code.Trim() }))
    if ($withCode.Count -lt 2) { Problem Examples "$($withCode.Count) example(s) with code; at least 2 are needed" }
    foreach ($e in @($Doc.Examples).Where({ -not (Test-HasText $_.Remarks) })) { Problem Examples "Example $($e.Number) does not say what it does (no text after its code)" }
    if (-not $Doc.Inputs) { Problem Inputs "no INPUTS entry ('### None' when nothing is taken from the pipeline)" }
    if (-not $Doc.Outputs) { Problem Outputs "no OUTPUTS entry ('### None' when nothing is written)" }
    $outputs = @(Select-Property $Doc.Outputs Type)
    foreach ($type in @($Command.OutputTypes).Where({ $_ -notin $outputs })) { Problem Outputs "writes $type (OutputType) but OUTPUTS does not list it" }
    if (-not $Command.OutputTypes -and $outputs -and $outputs -notcontains 'None') { Problem Outputs "writes nothing (OutputType void) but OUTPUTS lists $($outputs -join ', ')" }

    $text = [IO.File]::ReadAllText($Doc.Path)
    if ($text.Contains($script:Placeholder)) { Problem Placeholder "$($Doc.Path) still has a '$($script:Placeholder) ... }}' placeholder" }
}

function Test-HasText {
    param([object[]] $Blocks)
    [bool]@($Blocks).Where({ ($_.Kind -in 'Para', 'Bullet' -and $_.Text.Trim()) -or $_.Kind -eq 'Table' }, 'First').Count
}

function Get-SetsInOrder {
    <# .SYNOPSIS A command's parameter sets, the default first, then by name. #>
    param($Command)
    $sets = [System.Collections.Generic.List[object]]::new()
    foreach ($set in $Command.ParameterSets) { $sets.Add($set) }
    $sets.Sort([System.Comparison[object]] { param($a, $b) if ($a.IsDefault -ne $b.IsDefault) { if ($a.IsDefault) { -1 } else { 1 } } else { [string]::CompareOrdinal($a.Name, $b.Name) } })
    $sets
}

function Get-SyntaxMarkdown {
    <# .SYNOPSIS The SYNTAX section's lines for a command, default set first. #>
    param($Command)
    $sets = @(Get-SetsInOrder $Command)
    $lines = foreach ($set in $sets) {
        if ($sets.Count -gt 1) {
            '### ' + $set.Name + $(if ($set.IsDefault) { ' (Default)' })
            ''
        }
        '```'
        $set.Syntax
        '```'
        ''
    }
    $lines = @($lines)
    if ($lines.Count) { $lines[0..($lines.Count - 2)] }
}

#endregion

#region Writing MAML and about text

$script:AbsoluteLink = [regex]::new('\[(?<text>[^\]]+)\]\((?<uri>https?://[^)\s]+)\)')
$script:RelativeLink = [regex]::new('\[(?<text>[^\]]+)\]\([^)\s]+\)')
$script:Bold = [regex]::new('(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])')
$script:Italic = [regex]::new('(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])')
$script:CodeSpan = [regex]::new('(`[^`]*`)')

function ConvertTo-PlainText {
    <#
    .SYNOPSIS
        Inline markdown to help text: [text](uri) keeps the uri only when it is absolute, emphasis markers go,
        `code` stays as written (backticks included).
    #>
    param([string] $Text)
    if ($Text.IndexOfAny([char[]]'[*\') -lt 0) { return $Text }
    $parts = if ($Text.Contains('`')) { $script:CodeSpan.Split($Text) } else { , $Text }
    $plain = [System.Text.StringBuilder]::new()
    foreach ($part in $parts) {
        if ($part.Length -ge 2 -and $part[0] -eq '`' -and $part[-1] -eq '`') { [void]$plain.Append($part); continue }
        $t = $script:AbsoluteLink.Replace($part, '${text} (${uri})')
        $t = $script:RelativeLink.Replace($t, '${text}')
        $t = $script:Bold.Replace($t, '$1')
        $t = $script:Italic.Replace($t, '$1')
        [void]$plain.Append($t.Replace('\|', '|').Replace('\*', '*').Replace('\_', '_'))
    }
    $plain.ToString()
}

function Get-Paragraphs {
    <# .SYNOPSIS Blocks to the strings of maml:para elements. #>
    param([object[]] $Blocks)
    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'Para' { ConvertTo-PlainText $block.Text }
            'Bullet' { "$($block.Marker) $(ConvertTo-PlainText $block.Text)" }
            'Table' {
                $rows = @($block.Rows)
                $header = $rows[0]
                foreach ($row in $rows | Select-Object -Skip 1) {
                    if ($row.Count -eq 2) { "- $(ConvertTo-PlainText $row[0]): $(ConvertTo-PlainText $row[1])" }
                    else { '- ' + ((0..($row.Count - 1) | ForEach-Object { "$($header[$_]): $(ConvertTo-PlainText $row[$_])" }) -join '; ') }
                }
            }
            'Code' { '    ' + ($block.Lines -join "`n    ") }
        }
    }
}

function Write-Paragraphs {
    param([System.Xml.XmlWriter] $Writer, [string] $Element, [object[]] $Blocks)
    $Writer.WriteStartElement('maml', $Element, $script:Ns.maml)
    foreach ($para in Get-Paragraphs $Blocks) { $Writer.WriteElementString('maml', 'para', $script:Ns.maml, $para) }
    $Writer.WriteEndElement()
}

$script:Ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $Writer, $Parameter, $PerSet, [object[]] $Description, [string] $DefaultValue, [switch] $InSyntax)
    $w = $Writer
    $w.WriteStartElement('command', 'parameter', $script:Ns.command)
    $w.WriteAttributeString('required', $(if ($PerSet.Required) { 'true' } else { 'false' }))
    $w.WriteAttributeString('variableLength', $(if ($Parameter.IsArray) { 'true' } else { 'false' }))
    $w.WriteAttributeString('globbing', $(if ($Parameter.Globbing) { 'true' } else { 'false' }))
    $w.WriteAttributeString('pipelineInput', (Format-PipelineInput $PerSet))
    $w.WriteAttributeString('position', $(if ($PerSet.Position -eq 'Named') { 'named' } else { $PerSet.Position }))
    $w.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $script:Ns.maml, $Parameter.Name)
    if (-not $InSyntax) { Write-Paragraphs $w 'description' $Description }
    if ($Parameter.ValidValues.Count -and $InSyntax) {
        $w.WriteStartElement('command', 'parameterValueGroup', $script:Ns.command)
        foreach ($v in $Parameter.ValidValues) {
            $w.WriteStartElement('command', 'parameterValue', $script:Ns.command)
            $w.WriteAttributeString('required', 'false'); $w.WriteAttributeString('command', 'variableLength', $script:Ns.command, 'false')
            $w.WriteString($v); $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    elseif (-not ($Parameter.IsSwitch -and $InSyntax)) {
        $w.WriteStartElement('command', 'parameterValue', $script:Ns.command)
        $w.WriteAttributeString('required', $(if ($Parameter.IsSwitch) { 'false' } else { 'true' }))
        $w.WriteAttributeString('variableLength', $(if ($Parameter.IsArray) { 'true' } else { 'false' }))
        $w.WriteString($Parameter.TypeName)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $script:Ns.dev)
    $w.WriteElementString('maml', 'name', $script:Ns.maml, $Parameter.TypeFullName)
    $w.WriteElementString('maml', 'uri', $script:Ns.maml, '')
    $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $script:Ns.dev, $DefaultValue)
    $w.WriteEndElement()
}

function Merge-PerSet {
    <# .SYNOPSIS One view of a parameter across its sets, for the PARAMETERS list: required only if required in all. #>
    param($Parameter)
    $required = $true; $byValue = $false; $byPropertyName = $false
    $positions = [System.Collections.Generic.HashSet[string]]::new()
    foreach ($perSet in $Parameter.PerSet) {
        $required = $required -and $perSet.Required
        $byValue = $byValue -or $perSet.ByValue
        $byPropertyName = $byPropertyName -or $perSet.ByPropertyName
        [void]$positions.Add([string]$perSet.Position)
    }
    [pscustomobject]@{
        Required       = $required
        Position       = if ($positions.Count -eq 1) { @($positions)[0] } else { 'Named' }
        ByValue        = $byValue
        ByPropertyName = $byPropertyName
    }
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, $Doc, $Command)
    $w = $Writer
    $w.WriteStartElement('command', 'command', $script:Ns.command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $script:Ns.maml)
    $w.WriteAttributeString('xmlns', 'command', $null, $script:Ns.command)
    $w.WriteAttributeString('xmlns', 'dev', $null, $script:Ns.dev)
    $w.WriteAttributeString('xmlns', 'MSHelp', $null, $script:Ns.MSHelp)

    $w.WriteStartElement('command', 'details', $script:Ns.command)
    $w.WriteElementString('command', 'name', $script:Ns.command, $Command.Name)
    $w.WriteElementString('command', 'verb', $script:Ns.command, $Command.Verb)
    $w.WriteElementString('command', 'noun', $script:Ns.command, $Command.Noun)
    Write-Paragraphs $w 'description' $Doc.Synopsis
    $w.WriteEndElement()

    Write-Paragraphs $w 'description' $Doc.Description

    $docParams = @{}
    foreach ($p in $Doc.Parameters) { $docParams[$p.Name] = $p }
    $defaults = @{}
    foreach ($parameter in $Command.Parameters) {
        $p = $docParams[$parameter.Name]
        $defaults[$parameter.Name] = if ($p -and $p.Metadata -and $p.Metadata['Default value']) { $p.Metadata['Default value'] }
        elseif ($parameter.IsSwitch) { 'False' } elseif ($null -ne $parameter.CodeDefault) { $parameter.CodeDefault } else { 'None' }
    }

    $w.WriteStartElement('command', 'syntax', $script:Ns.command)
    foreach ($set in Get-SetsInOrder $Command) {
        $w.WriteStartElement('command', 'syntaxItem', $script:Ns.command)
        $w.WriteElementString('maml', 'name', $script:Ns.maml, $Command.Name)
        foreach ($name in $set.Order) {
            $parameter = @($Command.Parameters).Where({ $_.Name -eq $name }, 'First')[0]
            $perSet = @($parameter.PerSet).Where({ $_.Set -eq $set.Name }, 'First')[0]
            Write-MamlParameter $w $parameter $perSet @() $defaults[$name] -InSyntax
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    # Documented order first, then anything the markdown lacks (with no description: the tests say so).
    $documented = @(Select-Property $Doc.Parameters Name)
    $real = @(Select-Property $Command.Parameters Name)
    $ordered = @($documented.Where({ $_ -in $real })) + @($real.Where({ $_ -notin $documented }))
    $w.WriteStartElement('command', 'parameters', $script:Ns.command)
    foreach ($name in $ordered) {
        $parameter = @($Command.Parameters).Where({ $_.Name -eq $name }, 'First')[0]
        $description = if ($docParams[$name]) { $docParams[$name].Description } else { @() }
        Write-MamlParameter $w $parameter (Merge-PerSet $parameter) $description $defaults[$name]
    }
    $w.WriteEndElement()

    foreach ($kind in 'input', 'return') {
        $items = if ($kind -eq 'input') { $Doc.Inputs } else { $Doc.Outputs }
        $w.WriteStartElement('command', $(if ($kind -eq 'input') { 'inputTypes' } else { 'returnValues' }), $script:Ns.command)
        foreach ($item in $items) {
            $w.WriteStartElement('command', $(if ($kind -eq 'input') { 'inputType' } else { 'returnValue' }), $script:Ns.command)
            $w.WriteStartElement('dev', 'type', $script:Ns.dev)
            $w.WriteElementString('maml', 'name', $script:Ns.maml, $item.Type)
            $w.WriteEndElement()
            Write-Paragraphs $w 'description' $item.Description
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    if ($Doc.Notes) {
        $w.WriteStartElement('maml', 'alertSet', $script:Ns.maml)
        Write-Paragraphs $w 'alert' $Doc.Notes
        $w.WriteEndElement()
    }

    $w.WriteStartElement('command', 'examples', $script:Ns.command)
    foreach ($example in $Doc.Examples) {
        $w.WriteStartElement('command', 'example', $script:Ns.command)
        $label = "Example $($example.Number)" + $(if ($example.Title) { ": $($example.Title)" })
        $w.WriteElementString('maml', 'title', $script:Ns.maml, "---------- $label ----------")
        $w.WriteElementString('dev', 'code', $script:Ns.dev, $example.Code)
        $w.WriteStartElement('dev', 'remarks', $script:Ns.dev)
        foreach ($para in Get-Paragraphs $example.Remarks) { $w.WriteElementString('maml', 'para', $script:Ns.maml, $para) }
        # An empty last paragraph: Get-Help then leaves a blank line before the next example.
        $w.WriteElementString('maml', 'para', $script:Ns.maml, '')
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $script:Ns.command)
    foreach ($link in $Doc.Links) {
        $w.WriteStartElement('maml', 'navigationLink', $script:Ns.maml)
        $w.WriteElementString('maml', 'linkText', $script:Ns.maml, $link.Text)
        $w.WriteElementString('maml', 'uri', $script:Ns.maml, $link.Uri)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteEndElement()
}

function Write-MamlFile {
    param([Parameter(Mandatory)] [string] $Path, [object[]] $Pairs)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.NewLineChars = "`n"
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.CheckCharacters = $true
    $temporary = "$Path.$PID.tmp"
    $done = $false
    try {
        $writer = [System.Xml.XmlWriter]::Create($temporary, $settings)
        try {
            $writer.WriteStartDocument()
            $writer.WriteStartElement('helpItems', $script:Ns.msh)
            $writer.WriteAttributeString('schema', 'maml')
            foreach ($pair in $Pairs) {
                try { Write-MamlCommand $writer $pair.Doc $pair.Command }
                catch { throw "Cannot write the help of $($pair.Command.Name) ($($pair.Doc.Path)): $($_.Exception.InnerException.Message ?? $_.Exception.Message)" }
            }
            $writer.WriteEndElement()
            $writer.WriteEndDocument()
        }
        finally {
            $writer.Dispose()
        }
        # Read it back: what Get-Help gets must be well-formed and hold every command.
        $check = [xml]::new()
        $check.Load($temporary)
        $names = @($check.helpItems.command.details.name)
        if ($names.Count -ne $Pairs.Count) { throw "The MAML written to $temporary holds $($names.Count) commands, not $($Pairs.Count)." }
        Move-Item -Force -LiteralPath $temporary -Destination $Path
        $done = $true
    }
    finally {
        if (-not $done) { Remove-Item -LiteralPath $temporary -ErrorAction Ignore }
    }
}

function Format-Wrapped {
    param([string] $Text, [int] $Indent, [int] $Hanging = $Indent, [int] $Width = 80)
    $words = ($Text -split '\s+').Where({ $_ })
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ' ' * $Indent
    $empty = $true
    foreach ($word in $words) {
        if (-not $empty -and $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($line)
            $line = ' ' * $Hanging
            $empty = $true
        }
        $line += $(if ($empty) { $word } else { ' ' + $word })
        $empty = $false
    }
    if (-not $empty) { $lines.Add($line) }
    $lines
}

function ConvertTo-AboutText {
    <# .SYNOPSIS An about topic as help text: headings in capitals, body indented four spaces, prose wrapped at 80 columns. #>
    param([Parameter(Mandatory)] $About)
    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC'); $out.Add("    $($About.Name)"); $out.Add('')
    function Add-Blocks($blocks, [int] $indent) {
        $blocks = @($blocks)
        for ($b = 0; $b -lt $blocks.Count; $b++) {
            $block = $blocks[$b]
            switch ($block.Kind) {
                'Para' { foreach ($l in Format-Wrapped (ConvertTo-PlainText $block.Text) $indent) { $out.Add($l) } }
                'Bullet' {
                    $marker = "$($block.Marker) "
                    foreach ($l in Format-Wrapped ($marker + (ConvertTo-PlainText $block.Text)) $indent ($indent + $marker.Length)) { $out.Add($l) }
                }
                'Code' { foreach ($l in $block.Lines) { $out.Add(((' ' * ($indent + 4)) + $l).TrimEnd()) } }
                'Table' {
                    $rows = @($block.Rows)
                    if ($rows[0].Count -eq 2) {
                        foreach ($row in $rows | Select-Object -Skip 1) {
                            foreach ($l in Format-Wrapped (ConvertTo-PlainText $row[0]) $indent) { $out.Add($l) }
                            foreach ($l in Format-Wrapped (ConvertTo-PlainText $row[1]) ($indent + 4)) { $out.Add($l) }
                        }
                    }
                    else {
                        $cells = @($rows | ForEach-Object { , @($_ | ForEach-Object { ConvertTo-PlainText $_ }) })
                        $widths = 0..($rows[0].Count - 1) | ForEach-Object { $c = $_; ($cells | ForEach-Object { $_[$c].Length } | Measure-Object -Maximum).Maximum }
                        $r = 0
                        foreach ($row in $cells) {
                            $out.Add(((' ' * $indent) + ((0..($row.Count - 1) | ForEach-Object { $row[$_].PadRight($widths[$_]) }) -join '  ')).TrimEnd())
                            if ($r++ -eq 0) { $out.Add(((' ' * $indent) + (($widths | ForEach-Object { '-' * $_ }) -join '  '))) }
                        }
                    }
                }
            }
            # A list stays together; every other block is followed by a blank line.
            if (-not ($block.Kind -eq 'Bullet' -and $b + 1 -lt $blocks.Count -and $blocks[$b + 1].Kind -eq 'Bullet')) { $out.Add('') }
        }
    }
    foreach ($section in $About.Sections) {
        $out.Add($section.Title.ToUpperInvariant())
        Add-Blocks $section.Blocks 4
        foreach ($sub in $section.Subsections) {
            $out.Add("  $($sub.Title)")
            $out.Add('  ' + ('-' * $sub.Title.Length))
            Add-Blocks $sub.Blocks 4
        }
    }
    ($out -join "`n").TrimEnd() + "`n"
}

#endregion

#region -UpdateMarkdown

function Update-CmdletMarkdown {
    <#
    .SYNOPSIS
        Rewrites the code-derived parts of one cmdlet's markdown (SYNTAX, parameter metadata), adds a stub for
        each undocumented parameter, or writes a skeleton when there is no file. Returns whether it changed.
    #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] $Command)
    $fill = $script:Placeholder
    $stub = { param($parameter) @("### -$($parameter.Name)", '', "$fill Describe -$($parameter.Name) }}", '', '```yaml') + @(Format-YamlLines (Format-ParameterMetadata $parameter)) + @('```', '') }
    if (-not (Test-Path $Path)) {
        $lines = @("# $($Command.Name)", '', '## SYNOPSIS', '', "$fill One sentence: what $($Command.Name) does }}", '', '## SYNTAX', '') + @(Get-SyntaxMarkdown $Command) + @(
            '', '## DESCRIPTION', '', "$fill What it does, precisely }}", '', '## EXAMPLES', '',
            "### Example 1: $fill what it shows }}", '', '```powershell', "$fill code }}", '```', '', "$fill What it does }}", '',
            "### Example 2: $fill what it shows }}", '', '```powershell', "$fill code }}", '```', '', "$fill What it does }}", '',
            '## PARAMETERS', '')
        foreach ($parameter in $Command.Parameters) { $lines += & $stub $parameter }
        $lines += @('### CommonParameters', '', 'This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction and -WarningVariable. For more information, see [about_CommonParameters](https://go.microsoft.com/fwlink/?LinkID=113216).', '',
            '## INPUTS', '', "### $fill type }}", '', "$fill What binds from the pipeline }}", '', '## OUTPUTS', '')
        if ($Command.OutputTypes) { foreach ($t in $Command.OutputTypes) { $lines += @("### $t", '', "$fill What is written, and when }}", '') } }
        else { $lines += @('### None', '', "$fill Say that nothing is written }}", '') }
        $lines += @('## NOTES', '', '## RELATED LINKS', '', '- [about_Kernel](about_Kernel.md)')
        [IO.File]::WriteAllText($Path, ($lines -join "`n") + "`n", [System.Text.UTF8Encoding]::new($false))
        return $true
    }

    $problems = [System.Collections.Generic.List[string]]::new()
    $doc = Read-CmdletMarkdown $Path $problems
    if ($problems.Count) { throw "Cannot update ${Path}: fix it first:`n  " + ($problems -join "`n  ") }
    $original = [IO.File]::ReadAllText($Path).Replace("`r`n", "`n")
    $lines = [System.Collections.Generic.List[string]]::new([string[]]$original.TrimEnd("`n").Split("`n"))
    # Edits from the bottom up, so line numbers above stay valid. Numbers are 1-based.
    $edits = [System.Collections.Generic.List[object]]::new()
    if ($doc.ParametersRange) {
        $documented = @(Select-Property $doc.Parameters Name)
        $missing = @(@($Command.Parameters).Where({ $_.Name -notin $documented }))
        if ($missing) {
            $common = $doc.Sections['PARAMETERS'].Lines | Where-Object { $_.Text -eq '### CommonParameters' } | Select-Object -First 1
            $at = if ($common) { $common.Number } else { $doc.ParametersRange.End + 1 }
            $edits.Add([pscustomobject]@{ Start = $at; End = $at - 1; Lines = @($missing | ForEach-Object { & $stub $_ }) })
        }
        foreach ($p in $doc.Parameters) {
            $parameter = $Command.Parameters | Where-Object Name -EQ $p.Name
            if (-not $parameter) { continue }
            $yaml = @('```yaml') + @(Format-YamlLines (Format-ParameterMetadata $parameter $(if ($p.Metadata) { $p.Metadata['Default value'] }))) + @('```')
            if ($p.MetadataRange) { $edits.Add([pscustomobject]@{ Start = $p.MetadataRange.Start; End = $p.MetadataRange.End; Lines = $yaml }) }
            else { $edits.Add([pscustomobject]@{ Start = $p.End + 1; End = $p.End; Lines = @('') + $yaml + @('') }) }
        }
    }
    if ($doc.SyntaxRange) {
        $edits.Add([pscustomobject]@{ Start = $doc.SyntaxRange.Start + 1; End = $doc.SyntaxRange.End; Lines = @('') + @(Get-SyntaxMarkdown $Command) + @('') })
    }
    foreach ($edit in $edits | Sort-Object Start -Descending) {
        $count = $edit.End - $edit.Start + 1
        if ($count -gt 0) { $lines.RemoveRange($edit.Start - 1, $count) }
        $lines.InsertRange([Math]::Min($edit.Start - 1, $lines.Count), [string[]]$edit.Lines)
    }
    # Keep blank lines single, as the rest of the file has them.
    $text = (($lines -join "`n") -replace "`n{3,}", "`n`n").TrimEnd("`n") + "`n"
    if ($text -ceq $original) { return $false }
    [IO.File]::WriteAllText($Path, $text, [System.Text.UTF8Encoding]::new($false))
    $true
}

function Format-YamlLines {
    param([System.Collections.IDictionary] $Metadata)
    foreach ($key in $Metadata.Keys) {
        if ($key -eq 'Required') { '' }
        "${key}: $($Metadata[$key])".TrimEnd()
    }
}

#endregion

#region Main

function Invoke-BuildHelp {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 1.0
    $clock = [Diagnostics.Stopwatch]::StartNew()
    if (-not $DocsPath) { throw '-DocsPath is required (the markdown folder, e.g. docs/en-US).' }
    if (-not $ModulePath) { throw '-ModulePath is required (the staged manifest, e.g. out/Kernel/Kernel.psd1).' }
    if (-not $UpdateMarkdown -and -not $OutputPath) { throw '-OutputPath is required (e.g. out/Kernel/en-US).' }
    $docs = (Resolve-Path -LiteralPath $DocsPath).ProviderPath
    $manifest = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ModulePath)
    # A binary module is read in an isolated load context of this process; any other kind in a child pwsh,
    # which works while this process reads the markdown.
    $commands = if (-not $ChildProcess) { Read-ModuleHelpMetadata $manifest }
    $job = if (-not $commands) { Start-ModuleHelpMetadata $manifest }
    Write-Verbose ('Read the module{0} in {1:0.00} s.' -f $(if ($job) { ' (started a child pwsh)' }), $clock.Elapsed.TotalSeconds)
    if ($UpdateMarkdown) {
        if ($job) { $commands = @(Receive-ModuleHelpMetadata $job) }
        if (-not $commands) { throw "'$manifest' exports no cmdlets." }
        $changed = foreach ($command in $commands) {
            if (Update-CmdletMarkdown (Join-Path $docs "$($command.Name).md") $command) { "$($command.Name).md" }
        }
        Write-Host "Help markdown: $(@($changed).Count) of $($commands.Count) files updated in $docs$(if ($changed) { ' (' + ($changed -join ', ') + "). Fill in every '$($script:Placeholder) ... }}'." } else { '.' })"
        return
    }

    $problems = [System.Collections.Generic.List[string]]::new()
    $docsRead = foreach ($file in Get-ChildItem -LiteralPath $docs -Filter *.md -File | Where-Object Name -NotLike 'about_*' | Sort-Object Name) {
        Read-CmdletMarkdown $file.FullName $problems
    }
    $abouts = foreach ($file in Get-ChildItem -LiteralPath $docs -Filter 'about_*.md' -File | Sort-Object Name) { Read-AboutMarkdown $file.FullName $problems }
    if ($problems.Count) {
        if ($job) { $job.Process.Kill() }
        # One line per problem (an exception's message loses its line breaks in the error view), then the error.
        foreach ($problem in $problems) { $Host.UI.WriteErrorLine($problem) }
        throw "The help markdown in $docs is malformed: $($problems.Count) problem(s), listed above as file:line: problem. The layout is in docs/README.md."
    }
    # The about topics need nothing from the module: convert them while the child pwsh works.
    New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null
    $output = (Resolve-Path -LiteralPath $OutputPath).ProviderPath
    foreach ($about in $abouts) {
        [IO.File]::WriteAllText((Join-Path $output "$($about.Name).help.txt"), (ConvertTo-AboutText $about), [System.Text.UTF8Encoding]::new($false))
    }
    Write-Verbose ('Read the markdown and wrote the about topics in {0:0.00} s.' -f $clock.Elapsed.TotalSeconds)
    if ($job) {
        $commands = @(Receive-ModuleHelpMetadata $job)
        Write-Verbose ('Read the module in the child pwsh by {0:0.00} s.' -f $clock.Elapsed.TotalSeconds)
    }
    if (-not $commands) { throw "'$manifest' exports no cmdlets." }
    $pairs = [System.Collections.Generic.List[object]]::new()
    foreach ($doc in $docsRead) {
        $command = $commands.Where({ $_.Name -eq $doc.Name }, 'First')[0]
        if (-not $command) { Write-Warning "$([IO.Path]::GetFileName($doc.Path)) documents '$($doc.Name)', which the module does not export; it is left out."; continue }
        $pairs.Add([pscustomobject]@{ Doc = $doc; Command = $command })
    }

    $documented = @(foreach ($pair in $pairs) { $pair.Doc.Name })
    foreach ($command in $commands.Where({ $_.Name -notin $documented })) {
        Write-Warning "$($command.Name) has no help: add $(Join-Path $docs "$($command.Name).md") (tools/Build-Help.ps1 -UpdateMarkdown writes a skeleton)."
        $skeleton = [pscustomobject]@{ Name = $command.Name; Path = ''; Synopsis = @(); Description = @(); Examples = @(); Parameters = @(); Inputs = @(); Outputs = @(); Notes = @(); Links = @() }
        $pairs.Add([pscustomobject]@{ Doc = $skeleton; Command = $command })
    }
    foreach ($pair in $pairs) {
        if (-not $pair.Doc.Path) { continue }
        foreach ($gap in Test-CmdletDoc $pair.Doc $pair.Command) { Write-Warning $gap.Message }
    }

    Write-Verbose ('Checked the markdown against the code by {0:0.00} s.' -f $clock.Elapsed.TotalSeconds)
    $helpFiles = @($commands.HelpFile | Select-Object -Unique)
    if ($helpFiles.Count -ne 1 -or -not $helpFiles[0]) { throw "The cmdlets name $($helpFiles.Count) help files ($($helpFiles -join ', ')); expected one." }
    $maml = Join-Path $output $helpFiles[0]
    Write-MamlFile $maml ($pairs | Sort-Object { $_.Command.Name })
    Write-Host ("Help: {0} cmdlets -> {1}; {2} about topic(s) -> {3} ({4:0.0} s)" -f $pairs.Count, $maml, @($abouts).Count, $output, $clock.Elapsed.TotalSeconds)
}

# Dot-sourced, or loaded with New-Module (as the Pester suite does): only define the functions.
if ($MyInvocation.InvocationName -eq '.' -or $ExecutionContext.SessionState.Module) { return }

if ($EmitMetadata) {
    # The child process: plain JSON on stdout, or one plain line on stderr and exit code 1.
    $ErrorActionPreference = 'Stop'
    try {
        $module = Import-Module -Name (Resolve-Path -LiteralPath $ModulePath).ProviderPath -Force -PassThru -ErrorAction Stop | Where-Object { $_.ExportedCmdlets.Count } | Select-Object -First 1
        if (-not $module) { throw "'$ModulePath' exports no cmdlets." }
        ConvertTo-Json -InputObject @(Get-CommandHelpMetadata -Module $module) -Depth 8 -Compress
    }
    catch {
        [Console]::Error.WriteLine($_.Exception.Message)
        exit 1
    }
    return
}

Invoke-BuildHelp

#endregion
