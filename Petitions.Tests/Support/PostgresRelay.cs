using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Petitions.Tests.Support;

/// <summary>
/// A relay between the tests and a PostgreSQL server that counts round trips as the server ends them: each exchange
/// ends with one ReadyForQuery message. Unlike the driver's own counters it sees what the driver sends on its own
/// (a transaction's COMMIT). Connections through it use neither SSL nor GSS, so every byte the server sends is a
/// typed message: a type byte, then a length that counts itself.
/// </summary>
public sealed class PostgresRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pipes = [];
    private readonly Task _accepting;
    private long _roundTrips;

    public PostgresRelay(string connectionString)
    {
        _target = connectionString;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The target's connection string pointed at the relay, on a pool of one connection.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_target)
    {
        Host = "127.0.0.1",
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port,
        SslMode = SslMode.Disable,
        GssEncryptionMode = GssEncryptionMode.Disable,
        MaxPoolSize = 1,
    }.ConnectionString;

    /// <summary>Round trips the server has ended so far, on every connection through the relay.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    private async Task AcceptAsync()
    {
        var target = new NpgsqlConnectionStringBuilder(_target);
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var server = new TcpClient();
            await server.ConnectAsync(target.Host!, target.Port, _stop.Token);
            lock (_pipes)
            {
                _pipes.Add(CopyAsync(client.GetStream(), server.GetStream()));
                _pipes.Add(CountAsync(server.GetStream(), client.GetStream()));
            }
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            to.Close();
        }
    }

    /// <summary>Copies the server's messages and counts their ReadyForQuery ('Z') messages.</summary>
    private async Task CountAsync(NetworkStream from, NetworkStream to)
    {
        var header = new byte[5];
        var body = new byte[64 * 1024];
        try
        {
            while (true)
            {
                await from.ReadExactlyAsync(header, _stop.Token);
                await to.WriteAsync(header, _stop.Token);
                if (header[0] == (byte)'Z') Interlocked.Increment(ref _roundTrips);
                for (var left = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4; left > 0;)
                {
                    var read = await from.ReadAsync(body.AsMemory(0, Math.Min(left, body.Length)), _stop.Token);
                    if (read == 0) return;
                    await to.WriteAsync(body.AsMemory(0, read), _stop.Token);
                    left -= read;
                }
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            to.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var connection = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(connection);
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] pipes;
        lock (_pipes) pipes = [.. _pipes];
        await Task.WhenAll(pipes);
        _stop.Dispose();
    }
}
