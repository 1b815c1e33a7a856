using System.Globalization;

namespace Petitions.Testing;

/// <summary>
/// CPU time of Linux processes and threads, read from <c>/proc</c>, for a benchmark's account of where a machine's
/// cores went (the service, the database server, the clients).
/// </summary>
public static class ProcessCpu
{
    /// <summary>User and system time of a process (or of one thread: <c>PID/task/TID</c>), with
    /// <paramref name="withExitedChildren"/> also that of its children that have exited and been waited for. Zero
    /// once it is gone.</summary>
    public static TimeSpan Of(string pid, bool withExitedChildren = false)
    {
        if (Fields(pid) is not { } fields) return TimeSpan.Zero;
        // After the name: state is field 3, so utime (14), stime (15), cutime (16), cstime (17) are at 11–14.
        var ticks = Tick(fields[11]) + Tick(fields[12]) + (withExitedChildren ? Tick(fields[13]) + Tick(fields[14]) : 0);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>The process and every process it started that still runs or has been waited for: a PostgreSQL server's
    /// postmaster with its backends and workers.</summary>
    public static TimeSpan OfTree(int pid)
    {
        var total = Of(pid.ToString(CultureInfo.InvariantCulture), withExitedChildren: true);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var child = Path.GetFileName(directory);
            if (child.All(char.IsAsciiDigit) && Fields(child) is { } fields && Tick(fields[1]) == pid) total += Of(child);
        }
        return total;
    }

    /// <summary>CPU time of a process's threads named <paramref name="name"/> (as <c>comm</c> shows it, 15 characters at
    /// most), by thread id: a thread that ends takes its figure with it, so compare ids between two readings.</summary>
    public static IReadOnlyDictionary<int, TimeSpan> Threads(int pid, string name)
    {
        var threads = new Dictionary<int, TimeSpan>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            string comm;
            try
            {
                comm = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
            }
            catch (IOException)
            {
                continue; // ended while listed
            }
            if (comm == name) threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = Of($"{pid}/task/{Path.GetFileName(task)}");
        }
        return threads;
    }

    /// <summary>The fields of <c>/proc/PID/stat</c> after the name (which may hold spaces and parentheses), from the state
    /// on; null once the process is gone.</summary>
    private static string[]? Fields(string pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static long Tick(string field) => long.Parse(field, CultureInfo.InvariantCulture);
}
