namespace FalcoCheck.Mapping;

/// <summary>What becomes of Falco's one-label-per-rule-tag (<c>tag_T1059="true"</c>) on rule matches.</summary>
internal enum RuleTagMode : byte
{
    /// <summary>Folded into repeated <c>falco_tag:&lt;x&gt;</c> tags, MITRE technique ids also as <c>mitre_technique:&lt;id&gt;</c>.</summary>
    Fold,

    /// <summary>Kept as Falco writes them: <c>tag_&lt;x&gt;:true</c>.</summary>
    Labels,

    /// <summary>Not sent.</summary>
    Drop,
}
