using System.Globalization;

namespace TradingAspire.Load.Feed;

/// <summary>A process's CPU time (user + system) from <c>/proc/&lt;pid&gt;/stat</c>, in seconds.</summary>
public static class ProcessCpu
{
    /// <summary>Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static double Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
