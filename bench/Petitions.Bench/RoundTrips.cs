using System.Diagnostics.Metrics;
using System.Globalization;

namespace Petitions.Bench;

/// <summary>
/// Commands sent to PostgreSQL, each one round trip, as Npgsql's operation-duration histogram counts them: in this
/// process (<see cref="InProcess"/>) or in the service (its <c>/metrics</c>, where Hangfire's polling adds a few).
/// Counted, not timed, so they compare across runs on a busy machine, as the statement count does.
/// </summary>
internal sealed class RoundTrips : IDisposable
{
    private const string Instrument = "db.client.operation.duration";
    private readonly MeterListener _listener = new();
    private long _count;

    private RoundTrips()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Meter.Name: "Npgsql", Name: Instrument }) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _count));
        _listener.Start();
    }

    /// <summary>Counts the commands this process sends from now on.</summary>
    public static RoundTrips InProcess() => new();

    public long Count => Interlocked.Read(ref _count);

    /// <summary>The commands the service has sent so far, read from its <c>/metrics</c> (histogram counts, summed over
    /// their labels).</summary>
    public static async Task<long> OfServiceAsync(HttpClient client)
    {
        var name = Instrument.Replace('.', '_') + "_seconds_count";
        var text = await client.GetStringAsync("/metrics");
        var lines = text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal)).ToList();
        if (lines.Count == 0) throw new InvalidOperationException($"The service's /metrics has no {name}: did Npgsql's meter change its names?");
        // name{labels} value [timestamp]
        return lines.Sum(l => (long)double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
    }

    public void Dispose() => _listener.Dispose();
}
