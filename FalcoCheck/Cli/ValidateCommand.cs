using System.CommandLine;
using FalcoCheck.Runtime;

namespace FalcoCheck.Cli;

/// <summary><c>falcocheck validate</c>: reads the configuration only and lists every problem with file:line:column.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = new ConfigOptions();
        var kubernetes = new Option<bool>("--kubernetes") { Description = "Also list the Falco pods once through the Kubernetes API (kubernetes: in falcocheck.yaml) and check their annotations" };
        var command = new Command("validate", "Check falcocheck.yaml and conf.d/falco.d/conf.yaml without scraping");
        config.AddTo(command);
        command.Options.Add(kubernetes);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (agent, check) = ConfigOptions.Load(parse.GetValue(config.Config), Environment.GetEnvironmentVariable, Console.Error);
            if (agent is null || check is null)
            {
                return CheckRunner.ExitConfigError;
            }

            foreach (var error in check.Errors)
            {
                Console.Error.WriteLine(error.ToString());
            }

            foreach (var notice in check.Notices)
            {
                Console.Error.WriteLine(notice.ToNotice());
            }

            Console.Out.WriteLine($"{agent.SourceFile}: ok ({agent.Sinks.Count} sink(s))");
            Console.Out.WriteLine($"{check.SourceFile}: {check.Instances.Count} of {check.DeclaredInstanceCount} instance(s) valid, {check.Errors.Count} error(s), {check.Notices.Count} notice(s)");
            int exit = Math.Max(check.Errors.Count == 0 ? CheckRunner.ExitOk : CheckRunner.ExitConfigError, KubernetesPods.ValidateTemplate(agent, Console.Out, Console.Error));
            return parse.GetValue(kubernetes) ? Math.Max(exit, await KubernetesPods.ValidateAsync(agent, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false)) : exit;
        });
        return command;
    }
}
