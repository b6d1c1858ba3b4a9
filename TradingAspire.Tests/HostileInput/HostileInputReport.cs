namespace TradingAspire.Tests.HostileInput;

/// <summary>Collects "bad inputs tried per boundary and their outcomes" for README's Reliability section.</summary>
public static class HostileInputReport
{
    private static readonly object Gate = new();
    private static bool started;

    public static void Append(string boundary, int tried, IEnumerable<(string Outcome, int Count)> outcomes)
    {
        lock (Gate)
        {
            var path = Path.Combine(AppContext.BaseDirectory, "hostile-input.md");
            if (!started || !File.Exists(path))
            {
                started = true;
                File.WriteAllText(path, "| boundary | inputs tried | outcomes |\n|---|---|---|\n");
            }

            File.AppendAllText(path, $"| {boundary} | {tried} | {string.Join(", ", outcomes.OrderBy(o => o.Outcome).Select(o => $"{o.Outcome}: {o.Count}"))} |\n");
        }
    }
}
