using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// Reads the text/event-stream format (WHATWG HTML §9.2) message by message. Kernel puts everything in
    /// <c>data:</c> JSON and ignores the <c>event:</c> name, so only the data is surfaced. Reads take the
    /// cancellation token themselves, so a cancelled follow ends at once and the connection is aborted
    /// rather than drained.
    /// </summary>
    internal sealed class ServerSentEventReader
    {
        private readonly Stream _stream;
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;
        private bool _skipLineFeed;

        public ServerSentEventReader(Stream stream)
        {
            _stream = stream;
        }

        /// <summary>Raised for every chunk received, heartbeats included: proof the stream is alive.</summary>
        public Action? DataReceived { get; set; }

        /// <summary>The next message's data (lines joined with \n), or null once the stream has ended.</summary>
        public async Task<string?> ReadMessageAsync(CancellationToken cancellationToken)
        {
            StringBuilder? data = null;
            while (true)
            {
                var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line == null)
                {
                    // A message cut off by the end of the stream is discarded, as the standard says.
                    return null;
                }

                if (line.Length == 0)
                {
                    if (data != null)
                    {
                        return data.ToString();
                    }

                    continue;
                }

                if (line[0] == ':')
                {
                    continue;
                }

                var colon = line.IndexOf(':');
                var field = colon < 0 ? line : line.Substring(0, colon);
                if (field != "data")
                {
                    continue;
                }

                var value = colon < 0 ? string.Empty : line.Substring(colon + 1);
                if (value.Length > 0 && value[0] == ' ')
                {
                    value = value.Substring(1);
                }

                if (data == null)
                {
                    data = new StringBuilder(value);
                }
                else
                {
                    data.Append('\n').Append(value);
                }
            }
        }

        /// <summary>One line without its end (\n, \r\n or \r), or null at the end of the stream.</summary>
        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_skipLineFeed && _start < _end)
                {
                    if (_buffer[_start] == (byte)'\n')
                    {
                        _start++;
                    }

                    _skipLineFeed = false;
                }

                for (var i = _start; i < _end; i++)
                {
                    var b = _buffer[i];
                    if (b == (byte)'\n' || b == (byte)'\r')
                    {
                        var line = Encoding.UTF8.GetString(_buffer, _start, i - _start);
                        _start = i + 1;
                        _skipLineFeed = b == (byte)'\r';
                        return line;
                    }
                }

                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (_start == _end)
                    {
                        return null;
                    }

                    var rest = Encoding.UTF8.GetString(_buffer, _start, _end - _start);
                    _start = _end;
                    return rest;
                }
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _end += read;
            DataReceived?.Invoke();
            return true;
        }
    }
}
