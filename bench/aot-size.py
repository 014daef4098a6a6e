# Per-assembly bytes of a NativeAOT build's map file (-p:IlcGenerateMapFile=true): code (method bodies, GC and EH
# info) and the dehydrated data (MethodTables, generic dictionaries, statics bases, frozen objects) that the runtime's
# RehydrateData expands at every start, with an estimate of the start-up instructions each costs (per byte and per
# GC-statics block, from callgrind of `check`). Generic instantiations count for the assembly whose type argument
# brought them in. Usage: aot-size.py obj/Release/net10.0/linux-x64/native/falcocheck  (the .map.xml and .ilc.rsp beside it)
import re, sys, collections
import os
rsp = [l.strip() for l in open(sys.argv[1] + '.ilc.rsp')]
asms = sorted({os.path.basename(l[3:] if l.startswith('-r:') else l)[:-4] for l in rsp if l.endswith('.dll') and (l.startswith('-r:') or not l.startswith('-'))})
prefixes = sorted(((a.replace('.', '_') + '_', a) for a in asms), key=lambda p: -len(p[0]))
prefixes.append(('S_P_CoreLib_', 'System.Private.CoreLib'))
prefixes.append(('S_P_TypeLoader_', 'System.Private.TypeLoader'))
prefixes.append(('S_P_Reflection_Execution_', 'System.Private.Reflection.Execution'))
prefixes.append(('S_P_StackTraceMetadata_', 'System.Private.StackTraceMetadata'))
prefixes.sort(key=lambda p: -len(p[0]))
starts = re.compile('|'.join(re.escape(p) for p, _ in prefixes))
owner = {p: a for p, a in prefixes}
CODE = {'MethodCode', 'GCInfo', 'MethodExceptionHandlingInfo', 'UnboxingStub', 'MethodReadOnlyData', 'MethodAssociatedData'}
HYDRATED = {'ConstructedEEType', 'EEType', 'ReflectionVisibleGenericDefinitionEEType', 'ReflectionInvisibleGenericDefinitionEEType',
            'MetadataEEType', 'GCStaticEEType', 'MethodGenericDictionary', 'TypeGenericDictionary', 'NonGCStatics',
            'TypeThreadStaticIndex', 'FatFunctionPointer', 'ArrayOfFrozenObjects'}
lead = re.compile(r'^(_ZTV\d+|__GenericDict_|__GCSTATICS|__NONGCSTATICS|__writableData|__InterfaceDispatchMap_?|__DelegateCtor_?|__GenericInstance_?|__readonlydata_?|_associatedData_?|__SealedVTable_?|__ehinfo_?|__GenericLookupFromType_?|__GetGCStaticBase_?|__FatPointer_?|__unbox_?|__THREADSTATICINDEX_?)')
split = re.compile(r'&lt;|&gt;|__|,')
node = re.compile(r'^\s*<(\w+) Name="([^"]*)" Length="(\d+)"')
code, data, types, gcstatics, other = (collections.Counter() for _ in range(5))
kinds = collections.Counter()
for line in open(sys.argv[1] + '.map.xml', encoding='utf-8'):
    m = node.match(line)
    if not m:
        continue
    kind, name, length = m.group(1), m.group(2), int(m.group(3))
    # Generic instantiations count for the assembly whose type argument brought them in (the rightmost
    # non-CoreLib argument), e.g. AsyncStateMachineBox<..., Kestrel's state machine> is Kestrel's.
    core = lead.sub('', name)
    found = [owner[m.group(0)] for m in (starts.match(t) for t in split.split(core)) if m]
    if not found:
        s = starts.search(name)
        found = [owner[s.group(0)]] if s else ['(runtime/unattributed)']
    rest = [a for a in found[1:] if a != 'System.Private.CoreLib']
    asm = rest[-1] if rest else found[0]
    if kind == 'ArrayOfFrozenObjects':
        asm = '(frozen objects: string literals, preinitialized statics)'
    kinds[kind] += length
    if kind in CODE:
        code[asm] += length
    elif kind in HYDRATED:
        data[asm] += length
        if 'EEType' in kind:
            types[asm] += 1
    else:
        other[asm] += length
    if kind == 'GCStatics':
        gcstatics[asm] += 1
def group(a):
    for g in ('Microsoft.AspNetCore', 'Microsoft.Extensions', 'Microsoft.Net.Http.Headers', 'NATS', 'Polly', 'Google.Protobuf', 'System.Private.CoreLib', 'System.Net', 'System.Text.Json', 'System.Linq', 'System.Collections', 'YamlDotNet', 'System.CommandLine', 'falcocheck', 'Snappier', 'ZstdSharp', 'System.Security.Cryptography', 'System.Threading', 'System.IO.Pipelines', 'System.Diagnostics', 'System.Collections', 'System.ComponentModel'):
        if a.startswith(g):
            return g + ('*' if a != g else '')
    return a
G = lambda c: sum((collections.Counter({group(k): v}) for k, v in c.items()), collections.Counter())
gc_, gd, gt, gs, go = G(code), G(data), G(types), G(gcstatics), G(other)
RB, ST = 21.3e6 / sum(data.values()), 6.44e6 / sum(gcstatics.values())  # from callgrind: RehydrateData, InitializeStatics
tc, td = sum(code.values()), sum(data.values())
print(f'{"assembly (group)":<58}{"code KB":>9}{"dehydr. KB":>11}{"%data":>7}{"types":>7}{"GCstat":>7}{"other KB":>9}{"est. M":>8}')
for a, _ in sorted(gd.items(), key=lambda kv: -(kv[1] + gc_[kv[0]])):
    print(f'{a:<58}{gc_[a]/1024:>9.0f}{gd[a]/1024:>11.0f}{100*gd[a]/td:>6.1f}%{gt[a]:>7}{gs[a]:>7}{go[a]/1024:>9.0f}{(gd[a]*RB+gs[a]*ST)/1e6:>8.2f}')
print(f'{"total":<58}{tc/1024:>9.0f}{td/1024:>11.0f}{"":>7}{sum(types.values()):>7}{sum(gcstatics.values()):>7}{sum(other.values())/1024:>9.0f}')
print('by node kind (KB):', ', '.join(f'{k} {v/1024:.0f}' for k, v in kinds.most_common(16)))
