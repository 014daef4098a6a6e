using System.CommandLine;
using System.Globalization;
using FalcoCheck.Configuration;

namespace FalcoCheck.Cli;

/// <summary><c>--rate-interval</c> of <c>check</c> and <c>demo</c>: seconds, within the bounds a configured interval has.</summary>
internal static class RateIntervalOption
{
    public static Option<double?> Create(string description, double? @default = null)
    {
        var option = new Option<double?>("--rate-interval") { Description = description };
        if (@default is { } seconds)
        {
            option.DefaultValueFactory = _ => seconds;
        }

        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && !(value is >= 0 and <= ValueReader.MaxSeconds))
            {
                result.AddError($"--rate-interval must be between 0 and {ValueReader.MaxSeconds.ToString(CultureInfo.InvariantCulture)} seconds");
            }
        });
        return option;
    }
}
