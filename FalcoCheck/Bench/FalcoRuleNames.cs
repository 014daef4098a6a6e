namespace FalcoCheck.Bench;

/// <summary>
/// Rule names and tags for generated payloads, as in ../shared/bench/gen_payload.py: real rules from Falco's rules
/// files (stable, incubating, sandbox) first, then synthetic site-specific rules built from the word lists.
/// </summary>
internal static class FalcoRuleNames
{
    public static readonly (string Name, int Priority, string[] Tags)[] Real =
    [
        ("Directory traversal monitored file read", 4, ["maturity_stable", "host", "container", "filesystem", "mitre_credential_access", "T1555"]),
        ("Read sensitive file trusted after startup", 4, ["maturity_stable", "host", "container", "filesystem", "mitre_credential_access", "T1555"]),
        ("Read sensitive file untrusted", 4, ["maturity_stable", "host", "container", "filesystem", "mitre_credential_access", "T1555"]),
        ("Run shell untrusted", 3, ["maturity_stable", "host", "container", "process", "shell", "mitre_execution", "T1059_004"]),
        ("System user interactive", 6, ["maturity_stable", "host", "container", "users", "mitre_execution", "T1059", "NIST_800_53_AC_2"]),
        ("Terminal shell in container", 5, ["maturity_stable", "container", "shell", "mitre_execution", "T1059"]),
        ("Contact K8S API Server From Container", 5, ["maturity_stable", "container", "network", "k8s", "mitre_discovery", "T1565"]),
        ("Netcat Remote Code Execution in Container", 4, ["maturity_stable", "container", "network", "process", "mitre_execution", "T1059"]),
        ("Search Private Keys or Passwords", 4, ["maturity_stable", "host", "container", "process", "filesystem", "mitre_credential_access", "T1552_001"]),
        ("Clear Log Activities", 4, ["maturity_stable", "host", "container", "filesystem", "mitre_defense_evasion", "T1070", "NIST_800_53_AU_10"]),
        ("Remove Bulk Data from Disk", 4, ["maturity_stable", "host", "container", "process", "filesystem", "mitre_impact", "T1485"]),
        ("Create Symlink Over Sensitive Files", 4, ["maturity_stable", "host", "container", "filesystem", "mitre_credential_access", "T1555"]),
        ("Create Hardlink Over Sensitive Files", 4, ["maturity_stable", "host", "container", "filesystem", "mitre_credential_access", "T1555"]),
        ("Packet socket created in container", 5, ["maturity_stable", "container", "network", "mitre_credential_access", "T1557_002"]),
        ("Redirect STDOUT/STDIN to Network Connection in Container", 5, ["maturity_stable", "container", "network", "process", "mitre_execution", "T1059"]),
        ("Linux Kernel Module Injection Detected", 5, ["maturity_stable", "host", "container", "process", "mitre_persistence", "TA0003"]),
        ("Debugfs Launched in Privileged Container", 5, ["maturity_stable", "container", "cis", "process", "mitre_privilege_escalation", "T1611"]),
        ("Detect release_agent File Container Escapes", 2, ["maturity_stable", "container", "process", "mitre_privilege_escalation", "T1611"]),
        ("PTRACE attached to process", 4, ["maturity_stable", "host", "container", "process", "mitre_privilege_escalation", "T1055_008"]),
        ("PTRACE anti-debug attempt", 5, ["maturity_stable", "host", "container", "process", "mitre_defense_evasion", "T1622"]),
        ("Find AWS Credentials", 4, ["maturity_stable", "host", "container", "process", "aws", "mitre_credential_access", "T1552"]),
        ("Execution from /dev/shm", 4, ["maturity_stable", "host", "container", "mitre_execution", "T1059_004"]),
        ("Drop and execute new binary in container", 2, ["maturity_stable", "container", "process", "mitre_persistence", "TA0003", "PCI_DSS_11_5_1"]),
        ("Disallowed SSH Connection Non Standard Port", 5, ["maturity_stable", "host", "container", "network", "process", "mitre_execution", "T1059"]),
        ("Fileless execution via memfd_create", 2, ["maturity_stable", "host", "container", "process", "mitre_defense_evasion", "T1620"]),
        ("Polkit Local Privilege Escalation Vulnerability (CVE-2021-4034)", 2, ["maturity_sandbox", "host", "container", "process", "users", "mitre_privilege_escalation", "TA0004"]),
        ("Java Process Class File Download", 3, ["maturity_sandbox", "host", "container", "process", "mitre_initial_access", "T1190"]),
        ("Modify Container Entrypoint", 4, ["maturity_incubating", "container", "filesystem", "mitre_initial_access", "T1611"]),
        ("Decoding Payload in Container", 6, ["maturity_incubating", "container", "process", "mitre_command_and_control", "T1132"]),
        ("Basic Interactive Reconnaissance", 4, ["maturity_sandbox", "host", "container", "process", "mitre_reconnaissance", "TA0043"]),
        ("Launch Privileged Container", 6, ["maturity_incubating", "container", "cis", "mitre_execution", "T1610", "PCI_DSS_10_2_5"]),
        ("Launch Sensitive Mount Container", 6, ["maturity_incubating", "container", "cis", "mitre_execution", "T1610"]),
        ("Launch Package Management Process in Container", 3, ["maturity_incubating", "container", "process", "software_mgmt", "mitre_persistence", "T1505"]),
        ("Launch Suspicious Network Tool in Container", 5, ["maturity_incubating", "container", "network", "process", "mitre_execution", "T1059"]),
        ("Launch Remote File Copy Tools in Container", 5, ["maturity_incubating", "container", "network", "process", "mitre_exfiltration", "TA0010"]),
        ("Launch Ingress Remote File Copy Tools in Container", 5, ["maturity_stable", "container", "network", "process", "mitre_command_and_control", "TA0011"]),
        ("Change thread namespace", 5, ["maturity_sandbox", "host", "container", "process", "mitre_privilege_escalation", "T1611"]),
        ("Delete or rename shell history", 4, ["maturity_incubating", "host", "container", "process", "filesystem", "mitre_defense_evasion", "T1070"]),
        ("Schedule Cron Jobs", 5, ["maturity_sandbox", "host", "container", "filesystem", "mitre_execution", "T1053_003"]),
        ("Update Package Repository", 5, ["maturity_incubating", "host", "container", "filesystem", "mitre_persistence", "T1072"]),
        ("Write below binary dir", 3, ["maturity_incubating", "host", "container", "filesystem", "mitre_persistence", "T1543"]),
        ("Write below etc", 3, ["maturity_sandbox", "host", "container", "filesystem", "mitre_persistence", "T1098"]),
        ("Write below root", 3, ["maturity_sandbox", "host", "container", "filesystem", "mitre_persistence", "TA0003"]),
        ("Write below rpm database", 3, ["maturity_sandbox", "host", "container", "filesystem", "software_mgmt", "mitre_persistence", "T1072"]),
        ("Modify binary dirs", 3, ["maturity_sandbox", "host", "container", "filesystem", "mitre_defense_evasion", "T1222_002"]),
        ("Mkdir binary dirs", 3, ["maturity_sandbox", "host", "container", "filesystem", "mitre_persistence", "T1222_002"]),
        ("Change namespace privileges via unshare", 5, ["maturity_incubating", "host", "container", "mitre_privilege_escalation", "T1611"]),
        ("Set Setuid or Setgid bit", 5, ["maturity_sandbox", "host", "container", "process", "users", "mitre_privilege_escalation", "T1548_001"]),
        ("Create files below dev", 3, ["maturity_stable", "host", "filesystem", "mitre_persistence", "T1543", "NIST_800_53_CM_7"]),
        ("Outbound Connection to C2 Servers", 4, ["maturity_sandbox", "host", "container", "network", "mitre_command_and_control", "TA0011"]),
        ("Unexpected outbound connection destination", 5, ["maturity_sandbox", "host", "container", "network", "mitre_command_and_control", "TA0011"]),
        ("Unexpected inbound connection source", 5, ["maturity_sandbox", "host", "container", "network", "mitre_command_and_control", "TA0011"]),
        ("Mount Launched in Privileged Container", 4, ["maturity_incubating", "container", "cis", "filesystem", "mitre_privilege_escalation", "T1611"]),
        ("User mgmt binaries", 5, ["maturity_sandbox", "host", "container", "users", "software_mgmt", "mitre_persistence", "T1098"]),
        ("Non sudo setuid", 5, ["maturity_sandbox", "host", "container", "users", "mitre_privilege_escalation", "T1548_001"]),
        ("Sudo Potential Privilege Escalation", 2, ["maturity_stable", "host", "container", "filesystem", "users", "mitre_privilege_escalation", "T1548_003"]),
        ("Adding ssh keys to authorized_keys", 4, ["maturity_sandbox", "host", "filesystem", "mitre_persistence", "T1098_004"]),
        ("Network Connection outside Local Subnet", 4, ["maturity_sandbox", "container", "network", "mitre_discovery", "T1046", "PCI_DSS_6_4_2"]),
        ("Outbound or Inbound Traffic not to Authorized Server Process and Port", 4, ["maturity_sandbox", "container", "network", "mitre_discovery", "TA0011"]),
        ("Program run with disallowed http proxy env", 5, ["maturity_sandbox", "host", "container", "users", "mitre_command_and_control", "T1090"]),
        ("BPF Program Not Profiled", 5, ["maturity_sandbox", "host", "container", "mitre_persistence", "TA0003"]),
        ("Potential Local Privilege Escalation via Environment Variables Misuse", 4, ["maturity_stable", "host", "container", "users", "mitre_privilege_escalation", "TA0004"]),
        ("Backdoored library loaded into SSHD (CVE-2024-3094)", 4, ["maturity_stable", "host", "container", "mitre_initial_access", "T1556"]),
        ("Detect outbound connections to common miner pool ports", 2, ["maturity_sandbox", "host", "container", "network", "mitre_impact", "T1496"]),
        ("Detect crypto miners using the Stratum protocol", 2, ["maturity_stable", "host", "container", "process", "mitre_impact", "T1496"]),
        ("Read ssh information", 3, ["maturity_sandbox", "host", "container", "filesystem", "mitre_collection", "T1005"]),
        ("Exfiltrating Artifacts via Kubernetes Control Plane", 5, ["maturity_incubating", "container", "network", "k8s", "mitre_exfiltration", "TA0010"]),
        ("Launch Disallowed Container", 5, ["maturity_sandbox", "container", "mitre_lateral_movement", "T1610"]),
        ("Container Drift Detected (chmod)", 3, ["maturity_sandbox", "container", "process", "filesystem", "mitre_execution", "T1059"]),
        ("Container Drift Detected (open+create)", 3, ["maturity_sandbox", "container", "process", "filesystem", "mitre_execution", "T1059"]),
        ("Exec from Unusual Parent in Container", 5, ["maturity_sandbox", "container", "process", "mitre_execution", "T1059"]),
    ];

    public static readonly string[] Verbs =
    [
        "Detect", "Unexpected", "Suspicious", "Anomalous", "Disallowed", "Privileged", "Untrusted", "Outbound",
        "Inbound", "Sensitive", "Interactive", "Hidden", "Modified", "Unauthorized", "Rare", "Malicious",
    ];

    public static readonly string[] Objects =
    [
        "shell spawned", "file opened for writing", "network connection", "process launched", "binary executed",
        "config file read", "namespace change", "kernel module load", "mount syscall", "setuid binary", "ssh session",
        "package install", "cron job change", "credential access", "DNS lookup", "ptrace call", "memfd execution",
        "chmod +x", "socket bind", "container escape attempt", "token read", "history deletion",
    ];

    public static readonly string[] Places =
    [
        "in container", "on host", "below /etc", "below /usr/bin", "in kube-system", "by non-root user", "from /tmp",
        "in privileged pod", "via sidecar", "by CI runner", "in payments namespace", "in batch job",
        "on control plane node", "in build container", "by web server", "by database process",
    ];

    /// <summary>The first three are maturity tags: every synthetic rule gets exactly one of them.</summary>
    public static readonly string[] TagPool =
    [
        "maturity_stable", "maturity_incubating", "maturity_sandbox", "host", "container", "filesystem", "process",
        "network", "shell", "users", "software_mgmt", "k8s", "aws", "cis", "mitre_execution", "mitre_persistence",
        "mitre_privilege_escalation", "mitre_defense_evasion", "mitre_credential_access", "mitre_discovery",
        "mitre_lateral_movement", "mitre_collection", "mitre_command_and_control", "mitre_exfiltration",
        "mitre_impact", "T1059", "T1059_004", "T1555", "T1552", "T1068", "T1611", "T1070", "T1105", "T1543", "T1098",
        "T1562", "T1027", "T1036", "T1046", "T1082", "T1083", "T1485", "T1496", "T1548", "T1574", "T1610", "T1613",
        "T1620", "T1021_004", "team_platform", "team_security", "pci", "soc2", "tier1",
    ];
}
