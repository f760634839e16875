"""The sentences and snippets the token-count corpus is assembled from (written for it).

`bench/token_corpus.py` draws texts from these banks with a fixed seed; the corpus file it
writes (`tests/data/token_corpus.jsonl`) is committed, so tests read it without running this.
"""

from __future__ import annotations

CHINESE = [
    "今天的天气很好，我们一起去公园散步吧。",
    "请帮我把这份报告翻译成英文，并保留原来的格式。",
    "这个季度的销售额比去年同期增长了百分之十二。",
    "如果你有任何问题，可以随时联系我们的客服团队。",
    "人工智能正在改变我们的工作方式和生活习惯。",
    "会议将在下午三点开始，请各位准时参加。",
    "他从小就喜欢读书，尤其是历史和地理方面的书。",
    "我们需要在下周五之前完成项目的第一阶段。",
    "这家餐厅的菜很有特色，价格也比较合理。",
    "学习一门新的语言需要耐心和长期的练习。",
    "系统检测到您的账户存在异常登录，请尽快修改密码。",
    "春天来了，山上的花都开了，到处都是一片绿色。",
    "根据最新的统计数据，城市人口已经超过了两千万。",
    "请在提交之前仔细检查所有的数据是否正确。",
    "他们决定把公司总部搬到上海，以便更好地开拓市场。",
    "孩子们在操场上跑来跑去，玩得非常开心。",
    "这本小说讲述了一个普通人在大时代中的命运。",
    "为了保护环境，我们应该尽量减少使用塑料袋。",
    "医生建议他每天多喝水，早睡早起，适当运动。",
    "新版本修复了多个已知问题，并提升了整体性能。",
    "由于天气原因，今天的航班全部延误了。",
    "老师耐心地解释了这道数学题的每一个步骤。",
    "我们的产品支持多种语言，可以满足不同用户的需求。",
    "请注意，本次活动的报名截止日期是本月底。",
    "他一边喝茶，一边看着窗外的雨，想起了很多往事。",
    "在这个项目中，团队成员之间的沟通非常重要。",
    "这座古老的城市有着两千多年的历史。",
    "我想预订两张明天晚上七点的电影票。",
    "经过反复的实验，研究人员终于找到了问题的原因。",
    "您的订单已经发货，预计三天之内送达。",
    "他把自己的经验总结成了一本书，帮助了很多年轻人。",
    "夜深了，街上的行人越来越少，只剩下路灯还亮着。",
    "我们应该从失败中吸取教训，而不是一味地抱怨。",
    "这款手机的电池续航时间比上一代提高了很多。",
    "银行将在节假日期间暂停部分线上业务。",
    "她每天早上都会花半个小时练习钢琴。",
    "市场部正在策划一场大型的推广活动。",
    "这条河从西向东流过整个平原，最后汇入大海。",
    "如何在有限的时间内提高工作效率，是每个人都关心的问题。",
    "请简要说明你选择这个方案的理由。",
    "夔龙纹是古代青铜器上常见的装饰图案。",
    "数据库连接失败，请检查网络设置后重试。",
]

TRADITIONAL = [
    "今天的天氣很好，我們一起去公園散步吧。",
    "請幫我把這份報告翻譯成英文，並保留原來的格式。",
    "這個季度的銷售額比去年同期增長了百分之十二。",
    "如果你有任何問題，可以隨時聯繫我們的客服團隊。",
    "人工智慧正在改變我們的工作方式和生活習慣。",
    "會議將在下午三點開始，請各位準時參加。",
    "他從小就喜歡讀書，尤其是歷史和地理方面的書。",
    "我們需要在下週五之前完成專案的第一階段。",
    "這家餐廳的菜很有特色，價格也比較合理。",
    "學習一門新的語言需要耐心和長期的練習。",
    "系統偵測到您的帳戶存在異常登入，請盡快修改密碼。",
    "春天來了，山上的花都開了，到處都是一片綠色。",
    "根據最新的統計資料，城市人口已經超過了兩千萬。",
    "請在提交之前仔細檢查所有的資料是否正確。",
    "他們決定把公司總部搬到臺北，以便更好地開拓市場。",
    "孩子們在操場上跑來跑去，玩得非常開心。",
    "這本小說講述了一個普通人在大時代中的命運。",
    "為了保護環境，我們應該盡量減少使用塑膠袋。",
    "醫生建議他每天多喝水，早睡早起，適當運動。",
    "新版本修復了多個已知問題，並提升了整體效能。",
    "由於天氣原因，今天的航班全部延誤了。",
    "老師耐心地解釋了這道數學題的每一個步驟。",
    "我們的產品支援多種語言，可以滿足不同使用者的需求。",
    "請注意，本次活動的報名截止日期是本月底。",
    "他一邊喝茶，一邊看著窗外的雨，想起了很多往事。",
    "在這個專案中，團隊成員之間的溝通非常重要。",
    "這座古老的城市有著兩千多年的歷史。",
    "我想預訂兩張明天晚上七點的電影票。",
    "經過反覆的實驗，研究人員終於找到了問題的原因。",
    "您的訂單已經出貨，預計三天之內送達。",
    "夜深了，街上的行人越來越少，只剩下路燈還亮著。",
    "這款手機的電池續航時間比上一代提高了很多。",
]

ENGLISH = [
    "The quick brown fox jumps over the lazy dog.",
    "Please summarize the attached report in three short paragraphs.",
    "Our quarterly revenue grew by twelve percent compared with last year.",
    "If you have any questions, feel free to contact our support team.",
    "Artificial intelligence is changing the way we work and live.",
    "The meeting starts at 3 p.m., so please be on time.",
    "She has loved reading since childhood, especially books about history.",
    "We need to finish the first phase of the project before next Friday.",
    "The restaurant's dishes are distinctive, and the prices are reasonable.",
    "Learning a new language takes patience and a lot of practice.",
    "Unusual sign-in activity was detected on your account; change your password soon.",
    "According to the latest statistics, the city's population exceeds twenty million.",
    "Before submitting, carefully check that all of the data is correct.",
    "They decided to move the headquarters to Singapore to reach new markets.",
    "The novel tells the story of an ordinary person living through extraordinary times.",
    "To protect the environment, we should use fewer plastic bags.",
    "The new release fixes several known issues and improves overall performance.",
    "All flights were delayed today because of the weather.",
    "The teacher patiently explained every step of the proof.",
    "Your order has shipped and should arrive within three business days.",
    "Communication between team members is essential in a project like this.",
    "Could you book two tickets for tomorrow evening's seven o'clock show?",
    "After repeated experiments, the researchers finally found the root cause.",
    "It's late; the streets are empty and only the lamps are still on.",
    "We should learn from our failures instead of complaining about them.",
    "Internationalization requires careful handling of locales, encodings and pluralization.",
    "The database connection failed; check the network settings and retry.",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "He wrote down everything he'd learned, and the book helped many young engineers.",
    "Marketing is planning a large campaign for the autumn launch.",
    "How can we get more done in less time without burning out?",
    "Explain briefly why you chose this approach over the alternatives.",
    "The river flows east across the plain before it reaches the sea.",
    "Thanks for your patience while we investigate the outage.",
    "Don't forget to back up your files before upgrading the operating system.",
    "In 1969, astronauts landed on the Moon for the first time.",
    "Customer satisfaction scores rose from 78 to 91 over six months.",
    "Reproducibility matters: record the seed, the versions and the exact commands.",
]

MIXED = [
    "请用 Python 写一个函数，计算列表中所有偶数的和。",
    "我们的 API 每分钟最多允许 60 次请求（RPM），超过会返回 429。",
    "这个 bug 出现在 v2.3.1 版本里，升级到 v2.4.0 就好了。",
    "把 config.yaml 里的 timeout 改成 30 秒试试。",
    "Kimi 是 Moonshot AI 推出的大模型，支持 128K 的上下文。",
    "会议定在 Monday 上午 10:30，地点是 Room 402。",
    "用 Docker 部署的时候，记得把端口 8080 映射出来。",
    "这篇 paper 的 baseline 是 BERT-large，准确率 91.2%。",
    "请把 README.md 翻译成中文，代码块保持不变。",
    "我在 GitHub 上提了一个 issue，编号是 #1024。",
    "订单号 2024051800123 的状态是 shipped，预计 5 月 21 日送达。",
    "JSON mode 下模型只会输出合法的 JSON 对象。",
    "你可以用 curl 调用 https://api.moonshot.cn/v1/chat/completions 接口。",
    "temperature 设为 0.3，max_tokens 设为 1024。",
    "这个 SQL 查询太慢了：SELECT * FROM orders WHERE created_at > '2024-01-01'。",
    "The user said: 你好，我想了解一下你们的价格方案。",
    "Error: 文件不存在 (No such file or directory)",
    "部署到 Kubernetes 集群后，Pod 一直处于 CrashLoopBackOff 状态。",
    "今年 Q3 的 GMV 达到了 1.2 亿元，同比增长 35%。",
    "iPhone 15 Pro 的价格是 7999 元起。",
    "你是 DataPilot，由 Acme Labs 开发的数据分析助手，你擅长解读表格和图表。",
    "你会用简洁、准确、友好的语言回答用户的问题，不确定的时候要如实说明。",
    "你是一名资深的 Java 工程师，请用中文解释代码，并给出改进建议。",
    "你是 TravelMate，一个旅行规划助手，你会根据预算、天数和兴趣推荐行程。",
    "你必须拒绝回答涉及违法、暴力、歧视等内容的问题，并礼貌地说明原因。",
    "OpenAPI 为专有名词，不要翻译；回答时请使用 Markdown 格式。",
    "你是客服机器人小蓝，负责解答关于订单、退款和物流的问题。",
    "请始终使用用户提问的语言作答，除非用户明确要求使用其他语言。",
]

CODE = [
    '''def fibonacci(n: int) -> int:
    """Return the n-th Fibonacci number."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
''',
    '''class UserRepository:
    def __init__(self, session):
        self.session = session

    def find_by_email(self, email: str) -> User | None:
        return self.session.query(User).filter(User.email == email).one_or_none()
''',
    '''import asyncio
import httpx


async def fetch_all(urls: list[str]) -> list[int]:
    async with httpx.AsyncClient(timeout=10.0) as client:
        responses = await asyncio.gather(*(client.get(url) for url in urls))
    return [response.status_code for response in responses]
''',
    '''function debounce(fn, wait = 200) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn.apply(this, args), wait);
  };
}
''',
    '''export async function getServerSideProps({ params }) {
  const res = await fetch(`https://example.com/api/posts/${params.id}`);
  if (!res.ok) {
    return { notFound: true };
  }
  const post = await res.json();
  return { props: { post } };
}
''',
    '''package main

import (
	"fmt"
	"net/http"
)

func handler(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "hello, %s\\n", r.URL.Query().Get("name"))
}

func main() {
	http.HandleFunc("/", handler)
	http.ListenAndServe(":8080", nil)
}
''',
    '''SELECT c.customer_id, c.name, SUM(o.total_amount) AS revenue
FROM customers AS c
JOIN orders AS o ON o.customer_id = c.customer_id
WHERE o.created_at >= DATE '2024-01-01'
GROUP BY c.customer_id, c.name
HAVING SUM(o.total_amount) > 1000
ORDER BY revenue DESC
LIMIT 20;
''',
    '''#!/usr/bin/env bash
set -euo pipefail
for file in "$@"; do
  if [[ -f "$file" ]]; then
    wc -l "$file"
  else
    echo "missing: $file" >&2
  fi
done
''',
    '''fn parse_port(value: &str) -> Result<u16, String> {
    value
        .trim()
        .parse::<u16>()
        .map_err(|err| format!("invalid port {value:?}: {err}"))
}
''',
    '''    @pytest.mark.parametrize("size", [0, 1, 1024, 65536])
    def test_round_trip(tmp_path, size):
        payload = os.urandom(size)
        path = tmp_path / "blob.bin"
        path.write_bytes(payload)
        assert path.read_bytes() == payload
''',
    '''const config = {
  entry: "./src/index.ts",
  output: { path: path.resolve(__dirname, "dist"), filename: "[name].[contenthash].js" },
  module: { rules: [{ test: /\\.tsx?$/, use: "ts-loader", exclude: /node_modules/ }] },
  resolve: { extensions: [".tsx", ".ts", ".js"] },
};
''',
    '''public class LruCache<K, V> extends LinkedHashMap<K, V> {
    private final int capacity;

    public LruCache(int capacity) {
        super(capacity, 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
''',
    '''<div class="card">
  <h2 class="card-title">{{ title }}</h2>
  <p class="card-body">{{ body | truncate(120) }}</p>
  <a href="/posts/{{ id }}" class="btn btn-primary">Read more</a>
</div>
''',
    '''# 计算两个日期之间的天数
from datetime import date

def days_between(start: date, end: date) -> int:
    # 返回绝对值，顺序无关
    return abs((end - start).days)
''',
]

# JSON material: field names and values the generator combines into documents
JSON_KEYS = ["id", "name", "email", "created_at", "updated_at", "status", "items", "price",
             "quantity", "currency", "address", "city", "country", "tags", "metadata", "score",
             "is_active", "description", "owner", "permissions", "version", "url", "count",
             "latitude", "longitude", "phone", "title", "content", "author", "comments"]
JSON_WORDS = ["active", "pending", "archived", "Beijing", "Shanghai", "London", "admin", "viewer",
              "北京市朝阳区", "张伟", "用户已激活", "https://example.com/a/b", "USD", "CNY", "blue",
              "Lorem ipsum dolor sit amet", "订单已发货", "2024-05-18T09:30:00Z", "v1.4.2"]

# tool schema material
TOOL_NAMES = ["get_weather", "search_web", "create_calendar_event", "send_email", "query_database",
              "read_file", "write_file", "run_shell_command", "translate_text", "get_stock_price",
              "book_flight", "list_orders", "cancel_order", "lookup_user", "generate_image",
              "convert_currency", "get_directions", "set_reminder", "fetch_url", "summarize_text"]
TOOL_DESCRIPTIONS = [
    "Get the current weather for a city.", "Search the web and return the top results.",
    "Create an event in the user's calendar.", "Send an email on behalf of the user.",
    "Run a read-only SQL query against the analytics database.", "Read a file from the workspace.",
    "Write text to a file in the workspace, replacing its content.",
    "Run a shell command in the sandbox and return its output.",
    "Translate text between two languages.", "获取指定股票的最新价格。", "预订机票，返回订单号。",
    "List the user's recent orders, newest first.", "取消一个尚未发货的订单。",
]
PARAM_NAMES = ["city", "query", "limit", "start_time", "end_time", "to", "subject", "body", "sql",
               "path", "content", "command", "timeout_seconds", "source_language",
               "target_language", "symbol", "date", "passengers", "order_id", "user_id", "unit",
               "include_archived", "page", "page_size", "format"]
PARAM_DESCRIPTIONS = ["The city name, e.g. Beijing.", "Search keywords.", "Maximum number of results.",
                      "ISO 8601 start time.", "Recipient email address.", "单位：摄氏度或华氏度。",
                      "Absolute path inside the workspace.", "Seconds before the command is killed.",
                      "要查询的日期，格式为 YYYY-MM-DD。", "Whether to include archived items."]
