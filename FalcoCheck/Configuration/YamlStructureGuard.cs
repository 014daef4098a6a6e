using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace FalcoCheck.Configuration;

/// <summary>
/// Refuses, as a <see cref="YamlException"/> at the offending node, the YAML shapes that make YamlDotNet 18.1's
/// representation model crash or hang, before it builds anything. All were found by fuzzing (fuzz/run.sh config)
/// and none is a sensible configuration:
/// <list type="bullet">
/// <item>nesting deeper than <see cref="MaxDepth"/>: loading recurses per level, and a stack overflow cannot be caught;</item>
/// <item>an alias to an anchor not defined before it (YAML 1.2 section 7.1 forbids it; YamlDotNet's forward
/// resolution recurses without end on <c>{*a}</c> followed by <c>&amp;a</c>), or to a node that contains the alias;</item>
/// <item>a collection or an alias as a mapping key: keys are hashed recursively, so an alias to nested aliases
/// (the "billion laughs" shape) costs exponential time.</item>
/// </list>
/// </summary>
internal sealed class YamlStructureGuard(IParser inner) : IParser
{
    /// <summary>FalcoCheck's deepest setting is 5 levels down; this leaves room and stays far from the stack's limit.</summary>
    public const int MaxDepth = 64;

    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);
    private readonly List<(bool IsMapping, int Children, string? Anchor)> _open = [];

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case DocumentStart:
                _defined.Clear();
                _open.Clear();
                break;
            case AnchorAlias alias:
                CheckKey(alias, "an alias");
                if (!_defined.Contains(alias.Value.Value))
                {
                    Throw(alias, $"alias *{alias.Value.Value} refers to no anchor defined before it");
                }

                if (_open.Exists(frame => frame.Anchor == alias.Value.Value))
                {
                    Throw(alias, $"alias *{alias.Value.Value} is inside the node it refers to");
                }

                break;
            case Scalar scalar:
                CountChild();
                Define(scalar);
                break;
            case SequenceStart or MappingStart:
                var node = (NodeEvent)inner.Current;
                CheckKey(node, "a list or mapping");
                if (_open.Count >= MaxDepth)
                {
                    Throw(node, $"nested deeper than {MaxDepth} levels");
                }

                _open.Add((node is MappingStart, 0, node.Anchor.IsEmpty ? null : node.Anchor.Value));
                Define(node);
                break;
            case SequenceEnd or MappingEnd:
                _open.RemoveAt(_open.Count - 1);
                break;
        }

        return true;
    }

    /// <summary>Counts a node in its parent and refuses it as a mapping key.</summary>
    private void CheckKey(ParsingEvent node, string what)
    {
        if (CountChild())
        {
            Throw(node, $"{what} cannot be a mapping key; keys are plain names");
        }
    }

    /// <summary>Counts a node in its parent; true when it is a key (every other child of a mapping, from the first).</summary>
    private bool CountChild()
    {
        if (_open.Count == 0)
        {
            return false;
        }

        var (isMapping, children, anchor) = _open[^1];
        _open[^1] = (isMapping, children + 1, anchor);
        return isMapping && children % 2 == 0;
    }

    private void Define(NodeEvent node)
    {
        if (!node.Anchor.IsEmpty)
        {
            _defined.Add(node.Anchor.Value);
        }
    }

    private static void Throw(ParsingEvent node, string message) => throw new YamlException(node.Start, node.End, message);
}
