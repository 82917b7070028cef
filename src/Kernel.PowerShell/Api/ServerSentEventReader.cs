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
        /// <summary>The longest line accepted: far above any event Kernel sends, far below what would exhaust memory.</summary>
        internal const int DefaultMaxLineBytes = 8 * 1024 * 1024;
        private static readonly byte[] ByteOrderMark = { 0xEF, 0xBB, 0xBF };

        private readonly Stream _stream;
        private readonly int _maxLineBytes;
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        /// <summary>Where the search for the end of the current line goes on: bytes before it are known to hold none.</summary>
        private int _scanned;
        private bool _skipLineFeed;
        private bool _atStreamStart = true;
        private bool _streamEnded;

        public ServerSentEventReader(Stream stream, int maxLineBytes = DefaultMaxLineBytes)
        {
            _stream = stream;
            _maxLineBytes = maxLineBytes;
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
                if (_atStreamStart && !await SkipByteOrderMarkAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                if (_skipLineFeed && _start < _end)
                {
                    if (_buffer[_start] == (byte)'\n')
                    {
                        _start++;
                    }

                    _skipLineFeed = false;
                }

                var limit = Math.Min(_end, _start + _maxLineBytes + 1);
                for (var i = Math.Max(_scanned, _start); i < limit; i++)
                {
                    var b = _buffer[i];
                    if (b == (byte)'\n' || b == (byte)'\r')
                    {
                        var line = Encoding.UTF8.GetString(_buffer, _start, i - _start);
                        _start = _scanned = i + 1;
                        _skipLineFeed = b == (byte)'\r';
                        return line;
                    }
                }

                _scanned = limit;
                if (limit - _start > _maxLineBytes)
                {
                    throw new KernelProtocolException($"The event stream sent a line longer than {_maxLineBytes / (1024 * 1024)} MiB; it was not read.");
                }

                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (_start == _end)
                    {
                        return null;
                    }

                    var rest = Encoding.UTF8.GetString(_buffer, _start, _end - _start);
                    _start = _scanned = _end;
                    return rest;
                }
            }
        }

        /// <summary>A UTF-8 byte order mark at the very start of the stream is not part of the first line (WHATWG HTML §9.2.5).</summary>
        private async Task<bool> SkipByteOrderMarkAsync(CancellationToken cancellationToken)
        {
            while (_end - _start < ByteOrderMark.Length)
            {
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                if (_buffer[_start] != ByteOrderMark[0] || (_end - _start > 1 && _buffer[_start + 1] != ByteOrderMark[1]))
                {
                    break;
                }
            }

            _atStreamStart = false;
            if (_end - _start >= ByteOrderMark.Length && _buffer[_start] == ByteOrderMark[0] && _buffer[_start + 1] == ByteOrderMark[1] && _buffer[_start + 2] == ByteOrderMark[2])
            {
                _start = _scanned = _start + ByteOrderMark.Length;
            }

            return _end > _start || !_streamEnded;
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _scanned = Math.Max(0, _scanned - _start);
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _streamEnded = true;
                return false;
            }

            _end += read;
            DataReceived?.Invoke();
            return true;
        }
    }
}
