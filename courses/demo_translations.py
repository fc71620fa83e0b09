"""The demo's Vietnamese translation of OSH Leadership's first module (with the course's
and the catalogue's own text), keyed by the English source of each segment as
wagtail-localize splits it. Written for this platform; see courses.demo."""

VIETNAMESE = {
    "Courses": "Khóa học",
    "OSH Leadership": "Lãnh đạo An toàn, vệ sinh lao động",
    "Seven modules for factory OSH staff and managers on leading safety and health rather than reacting "
    "to accidents. Each module ends with one improvement on your own floor: specific, owned and dated.": (
        "Bảy học phần dành cho cán bộ an toàn, vệ sinh lao động và quản lý nhà máy về cách chủ động dẫn dắt "
        "công tác an toàn và sức khỏe, thay vì chỉ phản ứng khi tai nạn xảy ra. Mỗi học phần kết thúc bằng một "
        "cải tiến tại chính xưởng của bạn: cụ thể, có người phụ trách và có thời hạn."
    ),
    "7 modules, about 6 hours": "7 học phần, khoảng 6 giờ",
    "1. Why safety needs leaders": "1. Vì sao an toàn cần người lãnh đạo",
    "From fixing accidents to preventing them.": "Từ khắc phục tai nạn đến phòng ngừa tai nạn.",
    "Prevention beats fixing": "Phòng ngừa tốt hơn khắc phục",
    "Most factories meet safety and health through incidents: a needle injury, a fainting worker, a fire "
    "drill that nobody joins. Each incident is handled, and the floor goes back to how it was. Leadership in "
    "OSH means changing that rhythm: looking for the conditions that will cause the next incident and "
    "removing them while they are still cheap to remove.": (
        "Phần lớn nhà máy chỉ nghĩ đến an toàn và sức khỏe khi có sự cố: một công nhân bị kim đâm, một công "
        "nhân ngất xỉu, một buổi diễn tập chữa cháy không ai tham gia. Mỗi sự cố được xử lý xong, rồi xưởng lại "
        "trở về như cũ. Lãnh đạo công tác an toàn, vệ sinh lao động là thay đổi nhịp điệu đó: tìm ra những điều "
        "kiện sẽ gây ra sự cố tiếp theo và loại bỏ chúng khi việc loại bỏ còn rẻ."
    ),
    "A blocked exit costs minutes to clear today. In a fire it costs lives. A chemical without a label in "
    "the workers' language costs a printer and an hour today; after a splash to the eyes it costs a "
    "worker's sight.": (
        "Dọn một lối thoát hiểm bị chặn hôm nay chỉ mất vài phút. Khi có cháy, cái giá là mạng người. Một hóa "
        "chất không có nhãn bằng ngôn ngữ của công nhân hôm nay chỉ tốn một máy in và một giờ làm việc; khi hóa "
        "chất bắn vào mắt, cái giá là thị lực của một công nhân."
    ),
    "Key point": "Điểm chính",
    "Prevention beats fixing: every hazard you remove before it hurts someone is the cheapest safety work "
    "you will ever do.": (
        "Phòng ngừa tốt hơn khắc phục: mỗi mối nguy bạn loại bỏ trước khi nó gây hại cho ai đó là việc làm an "
        "toàn rẻ nhất mà bạn từng làm."
    ),
    "Check your understanding": "Kiểm tra hiểu biết của bạn",
    "A sewing line reports three needle injuries this month. What does an OSH leader do first?": (
        "Một chuyền may báo cáo ba vụ kim đâm vào tay trong tháng này. Người lãnh đạo an toàn, vệ sinh lao "
        "động làm gì trước tiên?"
    ),
    "Replace the injured workers' gloves": "Thay găng tay cho những công nhân bị thương",
    "That treats the injuries, not what causes them.": (
        "Cách đó chỉ xử lý vết thương, không xử lý nguyên nhân gây ra chúng."
    ),
    "Find out why the injuries happen on that line": "Tìm hiểu vì sao chuyền đó xảy ra các vụ kim đâm",
    "Yes: the cause decides the fix.": "Đúng: nguyên nhân quyết định cách khắc phục.",
    "Post a warning sign on the line": "Dán biển cảnh báo tại chuyền",
    "A sign rarely changes the conditions that hurt people.": (
        "Một tấm biển hiếm khi thay đổi được những điều kiện gây hại cho người lao động."
    ),
    "If there has been no accident this year, the factory's OSH is under control.": (
        "Nếu năm nay chưa có tai nạn nào, công tác an toàn, vệ sinh lao động của nhà máy đã được kiểm soát."
    ),
    "True": "Đúng",
    "False": "Sai",
    "No accident can mean luck. Hazards are there before the accident is.": (
        "Không có tai nạn có thể chỉ là may mắn. Mối nguy có mặt trước khi tai nạn xảy ra."
    ),
    "Right: look for hazards, not only for accidents.": "Chính xác: hãy tìm mối nguy, không chỉ tìm tai nạn.",
    "Name one hazard on your floor that has not hurt anyone yet but could. Write the action that removes it.": (
        "Hãy nêu một mối nguy ở xưởng của bạn chưa làm ai bị thương nhưng có thể gây thương tích. Viết hành "
        "động sẽ loại bỏ nó."
    ),
    "Move the boxes stored in front of exit B and mark the floor so nothing is stored there again. Owner: "
    "Dara (warehouse). Due: Friday.": (
        "Dời các thùng hàng đang để trước lối thoát B và kẻ vạch trên sàn để không ai để hàng ở đó nữa. Người "
        "phụ trách: chị Lan (kho). Hạn: thứ Sáu."
    ),
}
